using System.Globalization;
using Threshold.Matching.Normalisation;

namespace Threshold.Matching.Scoring;

/// <summary>Settings for fitting a model with EM.</summary>
public sealed record EmOptions
{
    public int MaxIterations { get; init; } = 100;
    /// <summary>Stop when no probability moves by more than this between iterations.</summary>
    public double Tolerance { get; init; } = 1e-6;
    /// <summary>Random pairs drawn to seed u (the chance of each level between different persons).</summary>
    public int RandomPairs { get; init; } = 200_000;
    public int Seed { get; init; } = 20_240_601;
    /// <summary>
    /// Fields whose m (chance of each level for the same person) is kept at the starting model's
    /// values. By default the person-identifying fields, given name and date of birth: left free,
    /// EM on a population of households finds "same household" instead of "same person" (everyone
    /// at one address agrees on surname, address and phone), and learns that a different given name
    /// hardly matters. Their u is still fitted, and every other field's m and u.
    /// </summary>
    /// <summary>
    /// Least m allowed for a field's "different" level: people move, change phones and email
    /// addresses, and EM on candidate pairs (most of which agree on address) otherwise learns
    /// that a different address all but rules a match out.
    /// </summary>
    public double MinimumDisagreementM { get; init; } = 0.05;

    public IReadOnlySet<MatchField> FixedM { get; init; } = new HashSet<MatchField> { MatchField.GivenName, MatchField.DateOfBirth };
}

/// <summary>
/// Estimates a <see cref="MatchModel"/> from unlabelled data (Fellegi–Sunter with the EM
/// algorithm, as in Winkler 1988 and Splink): u is seeded from random pairs, then the match prior,
/// m and u are fitted to the candidate pairs that blocking produced. No labels are used.
/// </summary>
public static class ExpectationMaximisation
{
    public static MatchModel Fit(
        IReadOnlyList<NormalisedPerson> left,
        IReadOnlyList<NormalisedPerson> right,
        IEnumerable<(int Left, int Right)> candidatePairs,
        MatchModel? start = null,
        EmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(candidatePairs);
        options ??= new EmOptions();
        start ??= MatchModel.Default();

        // Comparison vectors repeat a great deal: fit on distinct patterns with their counts.
        var patterns = new Dictionary<ulong, long>();
        Span<sbyte> levels = stackalloc sbyte[Comparisons.FieldCount];
        long pairCount = 0;
        foreach (var (l, r) in candidatePairs)
        {
            Comparisons.Compare(left[l], right[r], levels);
            var key = Pack(levels);
            patterns[key] = patterns.GetValueOrDefault(key) + 1;
            pairCount++;
        }

        if (pairCount == 0)
        {
            return start with { Provenance = "no candidate pairs: starting values kept" };
        }

        var m = start.Fields.OrderBy(f => f.Field).Select(f => f.M.ToArray()).ToArray();
        var startU = start.Fields.OrderBy(f => f.Field).Select(f => f.U.ToArray()).ToArray();
        var u = RandomPairU(left, right, options, startU) ?? startU;
        var lambda = Math.Clamp(Math.Min(left.Count, right.Count) / (double)pairCount, 1e-4, 0.5);

        var keys = patterns.Keys.ToArray();
        var counts = keys.Select(k => (double)patterns[k]).ToArray();
        var unpacked = keys.Select(Unpack).ToArray();
        var iterations = 0;
        for (; iterations < options.MaxIterations; iterations++)
        {
            var mAcc = m.Select(a => new double[a.Length]).ToArray();
            var uAcc = u.Select(a => new double[a.Length]).ToArray();
            double matches = 0, total = 0;
            for (var p = 0; p < keys.Length; p++)
            {
                var vector = unpacked[p];
                double pm = lambda, pu = 1 - lambda;
                for (var f = 0; f < Comparisons.FieldCount; f++)
                {
                    var level = vector[f];
                    if (level >= 0)
                    {
                        pm *= m[f][level];
                        pu *= u[f][level];
                    }
                }

                var posterior = pm / (pm + pu);
                var c = counts[p];
                matches += posterior * c;
                total += c;
                for (var f = 0; f < Comparisons.FieldCount; f++)
                {
                    var level = vector[f];
                    if (level >= 0)
                    {
                        mAcc[f][level] += posterior * c;
                        uAcc[f][level] += (1 - posterior) * c;
                    }
                }
            }

            var change = 0.0;
            var newLambda = matches / total;
            change = Math.Max(change, Math.Abs(newLambda - lambda));
            lambda = Math.Clamp(newLambda, 1e-6, 1 - 1e-6);
            for (var f = 0; f < Comparisons.FieldCount; f++)
            {
                if (!options.FixedM.Contains((MatchField)f))
                {
                    change = Math.Max(change, Update(m[f], mAcc[f]));
                    RaiseDisagreement(m[f], options.MinimumDisagreementM);
                }

                change = Math.Max(change, Update(u[f], uAcc[f]));
            }

            if (change < options.Tolerance)
            {
                break;
            }
        }

        var fields = start.Fields.OrderBy(f => f.Field).Select(f => f with
        {
            M = m[(int)f.Field],
            U = u[(int)f.Field],
        }).ToArray();
        return start with
        {
            MatchPrior = lambda,
            Fields = fields,
            Provenance = string.Create(CultureInfo.InvariantCulture,
                $"EM on {pairCount:N0} candidate pairs ({keys.Length:N0} distinct comparison patterns), {iterations + 1} iterations, no labels"),
        };
    }

    private static double Update(double[] current, double[] accumulated)
    {
        // A small floor keeps every level possible, so no single field can veto a match outright.
        const double Floor = 1e-5;
        var sum = accumulated.Sum();
        if (sum <= 0)
        {
            return 0;
        }

        var change = 0.0;
        var normaliser = 0.0;
        var updated = new double[current.Length];
        for (var i = 0; i < current.Length; i++)
        {
            updated[i] = Math.Max(Floor, accumulated[i] / sum);
            normaliser += updated[i];
        }

        for (var i = 0; i < current.Length; i++)
        {
            var value = updated[i] / normaliser;
            change = Math.Max(change, Math.Abs(value - current[i]));
            current[i] = value;
        }

        return change;
    }

    private static void RaiseDisagreement(double[] m, double minimum)
    {
        var last = m.Length - 1;
        if (m[last] >= minimum || last == 0)
        {
            return;
        }

        var scale = (1 - minimum) / (1 - m[last]);
        for (var i = 0; i < last; i++)
        {
            m[i] *= scale;
        }

        m[last] = minimum;
    }

    private static double[][]? RandomPairU(IReadOnlyList<NormalisedPerson> left, IReadOnlyList<NormalisedPerson> right, EmOptions options, double[][] startU)
    {
        if (left.Count == 0 || right.Count == 0 || options.RandomPairs <= 0)
        {
            return null;
        }

        var random = new Random(options.Seed);
        var counts = Enum.GetValues<MatchField>().Select(f => Enumerable.Repeat(1.0, Comparisons.LevelCount(f)).ToArray()).ToArray();
        Span<sbyte> levels = stackalloc sbyte[Comparisons.FieldCount];
        for (var i = 0; i < options.RandomPairs; i++)
        {
            Comparisons.Compare(left[random.Next(left.Count)], right[random.Next(right.Count)], levels);
            for (var f = 0; f < Comparisons.FieldCount; f++)
            {
                if (levels[f] >= 0)
                {
                    counts[f][levels[f]]++;
                }
            }
        }

        // A field never present in the sample keeps its starting values.
        return counts.Select((c, f) => c.Sum() > c.Length ? MatchModel.Normalise(c) : startU[f]).ToArray();
    }

    private static ulong Pack(ReadOnlySpan<sbyte> levels)
    {
        ulong key = 0;
        for (var f = 0; f < levels.Length; f++)
        {
            key |= (ulong)(levels[f] + 1) << (4 * f);
        }

        return key;
    }

    private static sbyte[] Unpack(ulong key)
    {
        var levels = new sbyte[Comparisons.FieldCount];
        for (var f = 0; f < levels.Length; f++)
        {
            levels[f] = (sbyte)((int)((key >> (4 * f)) & 0xF) - 1);
        }

        return levels;
    }
}
