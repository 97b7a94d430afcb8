using Threshold.Matching.Normalisation;

namespace Threshold.Matching.Blocking;

/// <summary>
/// The blocks of one set of persons (the right-hand side of a link), looked up one person of the
/// other side at a time, so the other side can be streamed. Lookups with the same
/// <see cref="Lookup"/> are not thread-safe; give each thread its own (<see cref="NewLookup"/>).
/// </summary>
public sealed class BlockIndex
{
    private readonly Dictionary<ulong, List<int>> _blocks = new();
    private readonly IReadOnlyList<BlockingRule> _rules;
    private readonly int _maxBlockSize;
    private readonly int _count;
    private readonly Lookup _default;

    /// <param name="persons">The persons to block.</param>
    /// <param name="rules">Blocking rules; <see cref="BlockingRule.Defaults"/> when null.</param>
    /// <param name="maxBlockSize">A block larger than this is skipped under its rule (such a key says almost nothing); other rules still apply.</param>
    public BlockIndex(IReadOnlyList<NormalisedPerson> persons, IReadOnlyList<BlockingRule>? rules = null, int maxBlockSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(persons);
        _rules = rules ?? BlockingRule.Defaults;
        _maxBlockSize = maxBlockSize;
        _count = persons.Count;
        _default = new Lookup(_count);
        for (var r = 0; r < persons.Count; r++)
        {
            foreach (var rule in _rules)
            {
                var key = rule.KeyOf(persons[r]);
                if (key == 0)
                {
                    continue;
                }

                if (!_blocks.TryGetValue(key, out var list))
                {
                    _blocks[key] = list = new List<int>(2);
                }

                list.Add(r);
            }
        }
    }

    /// <summary>Scratch space for lookups: one per thread that looks up candidates.</summary>
    public sealed class Lookup
    {
        internal Lookup(int count) => Seen = new int[count];

        internal int[] Seen { get; }
        internal int Stamp { get; set; }
    }

    /// <summary>Scratch space for one more thread's lookups.</summary>
    public Lookup NewLookup() => new(_count);

    /// <summary>Adds the indexes of every distinct person sharing a block with <paramref name="person"/> to <paramref name="output"/>.</summary>
    public void CandidatesOf(NormalisedPerson person, List<int> output) => CandidatesOf(person, output, _default);

    /// <summary>As <see cref="CandidatesOf(NormalisedPerson, List{int})"/>, with this thread's <paramref name="lookup"/>.</summary>
    public void CandidatesOf(NormalisedPerson person, List<int> output, Lookup lookup)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(lookup);
        var seen = lookup.Seen;
        var stamp = ++lookup.Stamp;
        foreach (var rule in _rules)
        {
            var key = rule.KeyOf(person);
            if (key == 0 || !_blocks.TryGetValue(key, out var list) || list.Count > _maxBlockSize)
            {
                continue;
            }

            foreach (var r in list)
            {
                if (seen[r] != stamp)
                {
                    seen[r] = stamp;
                    output.Add(r);
                }
            }
        }
    }
}

/// <summary>Produces candidate pairs for linking two sets with a list of blocking rules.</summary>
public static class Blocker
{
    /// <summary>Every distinct (left, right) index pair that shares a key under any rule.</summary>
    public static IEnumerable<(int Left, int Right)> CandidatePairs(
        IReadOnlyList<NormalisedPerson> left,
        IReadOnlyList<NormalisedPerson> right,
        IReadOnlyList<BlockingRule>? rules = null,
        int maxBlockSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(left);
        var index = new BlockIndex(right, rules, maxBlockSize);
        return Pairs(left, index);
    }

    private static IEnumerable<(int Left, int Right)> Pairs(IReadOnlyList<NormalisedPerson> left, BlockIndex index)
    {
        var candidates = new List<int>();
        for (var l = 0; l < left.Count; l++)
        {
            candidates.Clear();
            index.CandidatesOf(left[l], candidates);
            foreach (var r in candidates)
            {
                yield return (l, r);
            }
        }
    }
}
