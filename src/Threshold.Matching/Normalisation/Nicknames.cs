using System.Collections.Frozen;
using System.Reflection;

namespace Threshold.Matching.Normalisation;

/// <summary>
/// The nickname table (embedded data file <c>Normalisation/Data/nicknames.csv</c>, source named
/// in its header): each row is a formal given name with its informal forms. Two given names are
/// nickname-equivalent when they appear in one row.
/// </summary>
public sealed class Nicknames
{
    private static readonly Lazy<Nicknames> Shared = new(LoadEmbedded);
    private readonly FrozenDictionary<string, int[]> _groups;

    private Nicknames(FrozenDictionary<string, int[]> groups) => _groups = groups;

    /// <summary>The table shipped with the library.</summary>
    public static Nicknames Default => Shared.Value;

    /// <summary>Number of distinct names in the table.</summary>
    public int Count => _groups.Count;

    /// <summary>Parses a table in the shipped format: '#' comments, one comma-separated row per name.</summary>
    public static Nicknames Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var row = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            foreach (var cell in line.Split(','))
            {
                var name = TextNormaliser.Fold(cell);
                if (name.Length == 0)
                {
                    continue;
                }

                if (!groups.TryGetValue(name, out var list))
                {
                    groups[name] = list = [];
                }

                if (!list.Contains(row))
                {
                    list.Add(row);
                }
            }

            row++;
        }

        return new Nicknames(groups.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal));
    }

    /// <summary>The rows a normalised given name belongs to (empty when it is in none).</summary>
    public int[] GroupsOf(string normalisedName) =>
        _groups.TryGetValue(normalisedName, out var groups) ? groups : [];

    /// <summary>True when the two given names (any case) are the same name or share a row.</summary>
    public bool AreEquivalent(string? a, string? b)
    {
        var x = NameNormaliser.Given(a);
        var y = NameNormaliser.Given(b);
        if (x.Length == 0 || y.Length == 0)
        {
            return false;
        }

        return x == y || ShareGroup(GroupsOf(x), GroupsOf(y));
    }

    internal static bool ShareGroup(int[] a, int[] b)
    {
        foreach (var g in a)
        {
            foreach (var h in b)
            {
                if (g == h)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static Nicknames LoadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Threshold.Matching.nicknames.csv")
            ?? throw new InvalidOperationException("The nickname table is missing from the Threshold.Matching assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }
}
