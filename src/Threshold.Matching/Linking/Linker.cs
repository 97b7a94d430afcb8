using Threshold.Matching.Blocking;
using Threshold.Matching.Normalisation;
using Threshold.Matching.Scoring;

namespace Threshold.Matching.Linking;

/// <summary>How to link two sets of persons.</summary>
public sealed record LinkOptions
{
    /// <summary>Keep at most one partner per person: the best pairs first (greedy assignment by probability).</summary>
    public bool OneToOne { get; init; }
    /// <summary>The model to score with; when null one is fitted by EM on the data themselves (no labels).</summary>
    public MatchModel? Model { get; init; }
    /// <summary>Match probability at or above which a pair is accepted.</summary>
    public double Threshold { get; init; } = 0.9;
    public IReadOnlyList<BlockingRule>? BlockingRules { get; init; }
    public int MaxBlockSize { get; init; } = 1000;
    /// <summary>Left-hand records used to fit the model when none is given (the rest are streamed).</summary>
    public int FitSampleSize { get; init; } = 200_000;
    public EmOptions? Em { get; init; }
    /// <summary>Attach each accepted pair's explanation (costs memory on large runs).</summary>
    public bool IncludeExplanations { get; init; }
    /// <summary>
    /// With <see cref="OneToOne"/>: how many of its best accepted pairs each record keeps, on either
    /// side, for the assignment (as anonlink's solver keeps its top <c>k</c>). Bounds memory by the
    /// right-hand set, however long the left-hand stream and however many pairs pass the threshold.
    /// </summary>
    public int CandidatesPerRecord { get; init; } = 10;
    /// <summary>Called now and then on long runs; never on the hot path.</summary>
    public Action<LinkProgress>? Progress { get; init; }
    /// <summary>Region assumed for phone numbers without a country code.</summary>
    public string PhoneRegion { get; init; } = "GB";
}

/// <summary>Where a long link has got to.</summary>
/// <param name="Stage">"reading right", "fitting model", "scoring" or "assigning".</param>
/// <param name="Done">Records (or pairs) done in this stage.</param>
public sealed record LinkProgress(string Stage, long Done);

/// <summary>An accepted pair.</summary>
public sealed record LinkedPair(string LeftId, string RightId, double MatchProbability, double MatchWeight)
{
    public MatchExplanation? Explanation { get; init; }
}

/// <summary>The result of a link: the accepted pairs, best first, and the model used.</summary>
public sealed record LinkResult(IReadOnlyList<LinkedPair> Pairs, MatchModel Model, long LeftCount, long RightCount, long CandidatePairs);

/// <summary>
/// The library's entry point for linking two sets of person records (what <c>threshold link</c>
/// runs). The right-hand set is held in memory and blocked; the left-hand set is streamed.
/// </summary>
public static class Linker
{
    private const int ProgressEvery = 10_000;
    private const int BatchSize = 4096;

    public static LinkResult Link(IEnumerable<PersonRecord> left, IEnumerable<PersonRecord> right, LinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        options ??= new LinkOptions();
        var normaliser = new PersonNormaliser(phoneRegion: options.PhoneRegion);
        var frequencies = new TermFrequencies();

        var rightPersons = new List<NormalisedPerson>();
        foreach (var record in right)
        {
            var person = normaliser.Normalise(record);
            rightPersons.Add(person);
            frequencies.Add(person);
            if (rightPersons.Count % ProgressEvery == 0)
            {
                options.Progress?.Invoke(new LinkProgress("reading right", rightPersons.Count));
            }
        }

        using var leftRecords = left.GetEnumerator();
        var sample = new List<NormalisedPerson>();
        var sampleSize = options.Model is null ? Math.Max(1, options.FitSampleSize) : 0;
        while (sample.Count < sampleSize && leftRecords.MoveNext())
        {
            var person = normaliser.Normalise(leftRecords.Current);
            sample.Add(person);
            frequencies.Add(person);
        }

        foreach (var p in rightPersons)
        {
            frequencies.Assign(p);
        }

        var blocks = new BlockIndex(rightPersons, options.BlockingRules, options.MaxBlockSize);
        var model = options.Model;
        if (model is null)
        {
            options.Progress?.Invoke(new LinkProgress("fitting model", sample.Count));
            model = ExpectationMaximisation.Fit(sample, rightPersons, SamplePairs(sample, blocks), options: options.Em);
        }

        var scorer = new Scorer(model);
        // Accepted pairs keep the left record's id and sequence number, not the record itself (unless
        // explanations are asked for). With one-to-one assignment each left record keeps its best
        // few pairs and each right record the best few offered to it, so memory is bounded by the
        // right-hand set, not by the length of the left-hand stream; otherwise every accepted pair
        // is part of the result.
        var accepted = new List<Accepted>();
        var explain = options.IncludeExplanations;
        var keep = Math.Max(1, options.CandidatesPerRecord);
        var perRight = options.OneToOne ? new BestPairs?[rightPersons.Count] : null;
        long leftCount = 0, candidatePairs = 0;
        var threshold = options.Threshold;
        // The left-hand stream is read in batches; each batch is normalised, blocked and scored on
        // every core, then its pairs are taken in stream order, so results do not depend on threads.
        var batch = new (PersonRecord? Record, NormalisedPerson? Person)[BatchSize];
        var found = new List<Accepted>[BatchSize];
        var candidateCounts = new int[BatchSize];
        // Each thread's scratch space lives for the whole link (a lookup holds one int per right-hand
        // record): made per batch it would be garbage the size of the right-hand set every time.
        using var scratch = new ThreadLocal<(List<int> Candidates, BlockIndex.Lookup Lookup, sbyte[] Levels)>(
            () => (new List<int>(), blocks.NewLookup(), new sbyte[Comparisons.FieldCount]));
        using var stream = LeftStream(sample, leftRecords).GetEnumerator();
        while (true)
        {
            var size = 0;
            while (size < BatchSize && stream.MoveNext())
            {
                batch[size++] = stream.Current;
            }

            if (size == 0)
            {
                break;
            }

            var first = leftCount;
            Parallel.For(0, size, i =>
            {
                var local = scratch.Value;
                var person = batch[i].Person ?? normaliser.Normalise(batch[i].Record!);
                frequencies.Assign(person);
                local.Candidates.Clear();
                blocks.CandidatesOf(person, local.Candidates, local.Lookup);
                candidateCounts[i] = local.Candidates.Count;
                var pairs = found[i] ??= [];
                pairs.Clear();
                foreach (var r in local.Candidates)
                {
                    // With one-to-one assignment a pair just under the threshold can never be
                    // chosen either, so the same cut applies before assignment.
                    Comparisons.Compare(person, rightPersons[r], local.Levels);
                    var weight = scorer.Weight(local.Levels, person);
                    if (Scorer.ToProbability(weight) >= threshold)
                    {
                        pairs.Add(new Accepted(first + i, person.Id, r, weight, explain ? person : null));
                    }
                }
            });

            for (var i = 0; i < size; i++)
            {
                batch[i] = default;
                candidatePairs += candidateCounts[i];
                var ofThisLeft = found[i];
                if (perRight is null)
                {
                    accepted.AddRange(ofThisLeft);
                }
                else if (ofThisLeft.Count > 0)
                {
                    if (ofThisLeft.Count > keep)
                    {
                        ofThisLeft.Sort(ByWeightDescending);
                        ofThisLeft.RemoveRange(keep, ofThisLeft.Count - keep);
                    }

                    foreach (var pair in ofThisLeft)
                    {
                        (perRight[pair.Right] ??= new BestPairs(keep)).Offer(pair);
                    }
                }

                if (++leftCount % ProgressEvery == 0)
                {
                    options.Progress?.Invoke(new LinkProgress("scoring", leftCount));
                }
            }
        }

        if (perRight is not null)
        {
            foreach (var best in perRight)
            {
                best?.AddTo(accepted);
            }
        }

        accepted.Sort(ByWeightDescending);
        options.Progress?.Invoke(new LinkProgress("assigning", accepted.Count));
        var pairs = new List<LinkedPair>(accepted.Count);
        HashSet<long>? usedLeft = options.OneToOne ? [] : null;
        var usedRight = options.OneToOne ? new bool[rightPersons.Count] : null;
        foreach (var (l, leftId, r, weight, leftPerson) in accepted)
        {
            if (usedLeft is not null && usedRight is not null)
            {
                if (usedRight[r] || !usedLeft.Add(l))
                {
                    continue;
                }

                usedRight[r] = true;
            }

            var rightPerson = rightPersons[r];
            pairs.Add(new LinkedPair(leftId, rightPerson.Id, Scorer.ToProbability(weight), weight)
            {
                Explanation = leftPerson is null ? null : scorer.Explain(leftPerson, rightPerson),
            });
        }

        return new LinkResult(pairs, model, leftCount, rightPersons.Count, candidatePairs);
    }

    /// <summary>Fits a model to two sets by EM without linking them (for <c>--model</c> files).</summary>
    public static MatchModel Fit(IEnumerable<PersonRecord> left, IEnumerable<PersonRecord> right, LinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        options ??= new LinkOptions();
        var normaliser = new PersonNormaliser(phoneRegion: options.PhoneRegion);
        var l = left.Take(options.FitSampleSize).Select(normaliser.Normalise).ToList();
        var r = right.Select(normaliser.Normalise).ToList();
        var blocks = new BlockIndex(r, options.BlockingRules, options.MaxBlockSize);
        return ExpectationMaximisation.Fit(l, r, SamplePairs(l, blocks), options: options.Em);
    }

    private readonly record struct Accepted(long Left, string LeftId, int Right, double Weight, NormalisedPerson? Person);

    /// <summary>Best weight first; ties in input order, so results do not depend on sorting.</summary>
    private static int ByWeightDescending(Accepted a, Accepted b)
    {
        var byWeight = b.Weight.CompareTo(a.Weight);
        return byWeight != 0 ? byWeight : a.Left != b.Left ? a.Left.CompareTo(b.Left) : a.Right.CompareTo(b.Right);
    }

    /// <summary>The best few pairs offered to one right-hand record.</summary>
    private sealed class BestPairs(int capacity)
    {
        // Most right-hand records are offered one pair or two: grow only as needed.
        private Accepted[] _pairs = new Accepted[Math.Min(2, capacity)];
        private int _count;

        public void Offer(Accepted pair)
        {
            if (_count == _pairs.Length && _count < capacity)
            {
                Array.Resize(ref _pairs, Math.Min(capacity, _count * 2));
            }

            if (_count < _pairs.Length)
            {
                _pairs[_count++] = pair;
                return;
            }

            var weakest = 0;
            for (var i = 1; i < _count; i++)
            {
                if (ByWeightDescending(_pairs[i], _pairs[weakest]) > 0)
                {
                    weakest = i;
                }
            }

            if (ByWeightDescending(pair, _pairs[weakest]) < 0)
            {
                _pairs[weakest] = pair;
            }
        }

        public void AddTo(List<Accepted> list) => list.AddRange(_pairs.AsSpan(0, _count));
    }

    private static IEnumerable<(int, int)> SamplePairs(List<NormalisedPerson> sample, BlockIndex blocks)
    {
        var candidates = new List<int>();
        for (var i = 0; i < sample.Count; i++)
        {
            candidates.Clear();
            blocks.CandidatesOf(sample[i], candidates);
            foreach (var r in candidates)
            {
                yield return (i, r);
            }
        }
    }

    /// <summary>The fitting sample (already normalised), then the rest of the stream as read.</summary>
    private static IEnumerable<(PersonRecord? Record, NormalisedPerson? Person)> LeftStream(List<NormalisedPerson> sample, IEnumerator<PersonRecord> rest)
    {
        for (var i = 0; i < sample.Count; i++)
        {
            yield return (null, sample[i]);
        }

        // The fitting sample has been handed on: let it go, so that a long left-hand stream does not
        // keep up to FitSampleSize records alive to the end.
        sample.Clear();
        sample.TrimExcess();
        while (rest.MoveNext())
        {
            yield return (rest.Current, null);
        }
    }
}
