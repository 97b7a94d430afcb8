using System.Collections.Frozen;

namespace Threshold.Matching.Normalisation;

/// <summary>Normalises address lines: case, punctuation, and common street-type abbreviations.</summary>
public static class AddressNormaliser
{
    private static readonly FrozenDictionary<string, string> Abbreviations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["st"] = "street", ["str"] = "street", ["rd"] = "road", ["ave"] = "avenue", ["av"] = "avenue",
        ["ln"] = "lane", ["cres"] = "crescent", ["cr"] = "crescent", ["pl"] = "place", ["dr"] = "drive",
        ["ct"] = "court", ["crt"] = "court", ["cl"] = "close", ["gdns"] = "gardens", ["tce"] = "terrace",
        ["terr"] = "terrace", ["sq"] = "square", ["hse"] = "house", ["apt"] = "flat", ["apartment"] = "flat",
        ["cct"] = "circuit", ["pde"] = "parade", ["hwy"] = "highway", ["mt"] = "mount", ["nth"] = "north",
        ["sth"] = "south", ["grn"] = "green", ["gr"] = "grove", ["wy"] = "way", ["blvd"] = "boulevard",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Folds an address line and expands street-type abbreviations ("12 Acacia Rd." → "12 acacia road").</summary>
    public static string Normalise(string? raw)
    {
        var folded = TextNormaliser.Fold(raw);
        if (folded.Length == 0)
        {
            return "";
        }

        var words = folded.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            if (Abbreviations.TryGetValue(words[i], out var full))
            {
                words[i] = full;
            }
        }

        return string.Join(' ', words);
    }

    /// <summary>
    /// Splits a leading house number from a normalised line ("12a acacia road" → "12a", "acacia road").
    /// A line without one is returned whole with an empty number.
    /// </summary>
    public static (string Number, string Remainder) SplitHouseNumber(string normalisedLine)
    {
        if (normalisedLine.Length == 0 || !char.IsAsciiDigit(normalisedLine[0]))
        {
            return ("", normalisedLine);
        }

        var space = normalisedLine.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (normalisedLine, "") : (normalisedLine[..space], normalisedLine[(space + 1)..]);
    }
}
