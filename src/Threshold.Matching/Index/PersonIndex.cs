using Threshold.Matching.Blocking;
using Threshold.Matching.Normalisation;
using Threshold.Matching.Scoring;

namespace Threshold.Matching.Index;

/// <summary>A person the index thinks could be the one asked about.</summary>
public sealed record IndexCandidate(string Id, double MatchProbability, double MatchWeight);

/// <summary>
/// An in-memory online index: "who in this population could be this person?" for one record at a
/// time (the referral case), updated as records arrive. Blocks are kept as linked postings in
/// flat integer arrays (8 bytes per person per rule plus one dictionary entry per distinct key),
/// equal strings are shared between persons, and a query scores only the persons in its blocks.
/// Adds must not run concurrently with other calls; queries may run concurrently with each other.
/// </summary>
public sealed class PersonIndex
{
    private readonly IReadOnlyList<BlockingRule> _rules;
    private readonly int _maxBlockWalk;
    private readonly PersonNormaliser _normaliser;
    private readonly PersonNormaliser _queryNormaliser;
    private readonly TermFrequencies _frequencies = new();
    private readonly List<NormalisedPerson> _persons = [];
    private readonly Dictionary<ulong, int> _heads = new();
    private int[] _postingPerson = new int[1024];
    private int[] _postingNext = new int[1024];
    private int _postings;
    [ThreadStatic]
    private static HashSet<int>? _seen;

    /// <param name="model">The model to score candidates with.</param>
    /// <param name="rules">Blocking rules; <see cref="BlockingRule.Defaults"/> when null.</param>
    /// <param name="maxBlockWalk">At most this many members of one block are looked at per query (the newest first).</param>
    /// <param name="phoneRegion">Region assumed for phone numbers without a country code.</param>
    public PersonIndex(MatchModel model, IReadOnlyList<BlockingRule>? rules = null, int maxBlockWalk = 2000, string phoneRegion = "GB")
    {
        ArgumentNullException.ThrowIfNull(model);
        Scorer = new Scorer(model);
        _rules = rules ?? BlockingRule.Defaults;
        _maxBlockWalk = maxBlockWalk;
        _normaliser = new PersonNormaliser(phoneRegion: phoneRegion, internStrings: true);
        _queryNormaliser = new PersonNormaliser(phoneRegion: phoneRegion);
    }

    public Scorer Scorer { get; }

    public int Count => _persons.Count;

    /// <summary>Adds a record; it can be found by the next query.</summary>
    public void Add(PersonRecord record)
    {
        var person = _normaliser.Normalise(record);
        var index = _persons.Count;
        _persons.Add(person);
        _frequencies.Add(person);
        foreach (var rule in _rules)
        {
            var key = rule.KeyOf(person);
            if (key == 0)
            {
                continue;
            }

            if (_postings == _postingPerson.Length)
            {
                Array.Resize(ref _postingPerson, _postings * 2);
                Array.Resize(ref _postingNext, _postings * 2);
            }

            ref var head = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_heads, key, out var existed);
            _postingPerson[_postings] = index;
            _postingNext[_postings] = existed ? head : -1;
            head = _postings++;
        }
    }

    /// <summary>The best <paramref name="top"/> candidates for <paramref name="record"/>, most probable first.</summary>
    public IReadOnlyList<IndexCandidate> Query(PersonRecord record, int top = 10, double minimumProbability = 0)
    {
        ArgumentNullException.ThrowIfNull(record);
        var query = _queryNormaliser.Normalise(record);
        return Query(query, top, minimumProbability);
    }

    /// <summary>As <see cref="Query(PersonRecord, int, double)"/> for an already normalised person.</summary>
    public IReadOnlyList<IndexCandidate> Query(NormalisedPerson query, int top = 10, double minimumProbability = 0)
    {
        ArgumentNullException.ThrowIfNull(query);
        _frequencies.Assign(query);
        var seen = _seen ??= [];
        seen.Clear();
        var best = new PriorityQueue<int, double>(top + 1);
        var minimumWeight = minimumProbability <= 0 ? double.NegativeInfinity : Math.Log2(minimumProbability / (1 - minimumProbability));
        Span<sbyte> levels = stackalloc sbyte[Comparisons.FieldCount];
        foreach (var rule in _rules)
        {
            var key = rule.KeyOf(query);
            if (key == 0 || !_heads.TryGetValue(key, out var posting))
            {
                continue;
            }

            for (var walked = 0; posting >= 0 && walked < _maxBlockWalk; walked++, posting = _postingNext[posting])
            {
                var candidate = _postingPerson[posting];
                if (!seen.Add(candidate))
                {
                    continue;
                }

                Comparisons.Compare(query, _persons[candidate], levels);
                var weight = Scorer.Weight(levels, query);
                if (weight < minimumWeight)
                {
                    continue;
                }

                if (best.Count < top)
                {
                    best.Enqueue(candidate, weight);
                }
                else if (best.TryPeek(out _, out var worst) && weight > worst)
                {
                    best.DequeueEnqueue(candidate, weight);
                }
            }
        }

        var results = new IndexCandidate[best.Count];
        for (var i = results.Length - 1; i >= 0; i--)
        {
            best.TryDequeue(out var person, out var weight);
            results[i] = new IndexCandidate(_persons[person].Id, Scorer.ToProbability(weight), weight);
        }

        return results;
    }

    /// <summary>Why <paramref name="record"/> and the indexed person <paramref name="id"/> scored as they did; null when the id is unknown.</summary>
    public MatchExplanation? Explain(PersonRecord record, string id)
    {
        ArgumentNullException.ThrowIfNull(record);
        var person = _persons.Find(p => p.Id == id);
        if (person is null)
        {
            return null;
        }

        var query = _queryNormaliser.Normalise(record);
        _frequencies.Assign(query);
        return Scorer.Explain(query, person);
    }
}
