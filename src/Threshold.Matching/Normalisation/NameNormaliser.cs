namespace Threshold.Matching.Normalisation;

/// <summary>Normalises given and family names: case, accents, punctuation, titles and suffixes.</summary>
public static class NameNormaliser
{
    private static readonly HashSet<string> Titles = new(StringComparer.Ordinal)
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "rev", "revd", "sir", "dame",
        "lord", "lady", "master", "fr", "cllr", "dc", "ds", "pc", "sgt",
    };

    private static readonly HashSet<string> Suffixes = new(StringComparer.Ordinal)
    {
        "jr", "jnr", "junior", "sr", "snr", "senior", "ii", "iii", "iv", "esq", "obe", "mbe", "cbe", "phd",
    };

    /// <summary>
    /// The given name used for matching: the first word left after titles are removed
    /// ("Dr. Mary-Jane O'Neill" gives "mary"). Use <see cref="GivenNames"/> for all of them.
    /// </summary>
    public static string Given(string? raw)
    {
        var tokens = Tokens(raw);
        return tokens.Count == 0 ? "" : tokens[0];
    }

    /// <summary>Every given-name word after titles and suffixes are removed.</summary>
    public static IReadOnlyList<string> GivenNames(string? raw) => Tokens(raw);

    /// <summary>
    /// The family name used for matching: words joined without spaces, so a double-barrelled
    /// "Smith-Jones", "Smith Jones" and "smithjones" agree exactly.
    /// </summary>
    public static string Family(string? raw) => string.Concat(Tokens(raw));

    /// <summary>The words of a family name ("smith-jones" gives smith and jones).</summary>
    public static IReadOnlyList<string> FamilyParts(string? raw) => Tokens(raw);

    private static List<string> Tokens(string? raw)
    {
        var folded = TextNormaliser.Fold(raw);
        var result = new List<string>(2);
        if (folded.Length == 0)
        {
            return result;
        }

        foreach (var token in folded.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Titles.Contains(token) || Suffixes.Contains(token))
            {
                continue;
            }

            result.Add(token);
        }

        return result;
    }
}
