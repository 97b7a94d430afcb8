using Threshold.Matching.Normalisation;

namespace Threshold.Matching.Blocking;

/// <summary>
/// The blocks of one set of persons (the right-hand side of a link), looked up one person of the
/// other side at a time, so the other side can be streamed. Not thread-safe.
/// </summary>
public sealed class BlockIndex
{
    private readonly Dictionary<ulong, List<int>> _blocks = new();
    private readonly IReadOnlyList<BlockingRule> _rules;
    private readonly int _maxBlockSize;
    private readonly int[] _seen;
    private int _stamp;

    /// <param name="persons">The persons to block.</param>
    /// <param name="rules">Blocking rules; <see cref="BlockingRule.Defaults"/> when null.</param>
    /// <param name="maxBlockSize">A block larger than this is skipped under its rule (such a key says almost nothing); other rules still apply.</param>
    public BlockIndex(IReadOnlyList<NormalisedPerson> persons, IReadOnlyList<BlockingRule>? rules = null, int maxBlockSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(persons);
        _rules = rules ?? BlockingRule.Defaults;
        _maxBlockSize = maxBlockSize;
        _seen = new int[persons.Count];
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

    /// <summary>Adds the indexes of every distinct person sharing a block with <paramref name="person"/> to <paramref name="output"/>.</summary>
    public void CandidatesOf(NormalisedPerson person, List<int> output)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(output);
        var stamp = ++_stamp;
        foreach (var rule in _rules)
        {
            var key = rule.KeyOf(person);
            if (key == 0 || !_blocks.TryGetValue(key, out var list) || list.Count > _maxBlockSize)
            {
                continue;
            }

            foreach (var r in list)
            {
                if (_seen[r] != stamp)
                {
                    _seen[r] = stamp;
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
