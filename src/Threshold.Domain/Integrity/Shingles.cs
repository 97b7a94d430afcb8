using System.Globalization;
using System.Text;

namespace Threshold.Domain.Integrity;

/// <summary>
/// A text as a set of word shingles (runs of <see cref="Size"/> consecutive words, case and
/// punctuation ignored), for "does this referral read like those messages?". Two texts resemble
/// each other when many of their shingles are the same: <see cref="Resemblance"/> is the Jaccard
/// index of the two sets, <see cref="Containment"/> the share of one text's shingles found in the
/// other (a referral that copies a few sentences of a longer e-mail is contained in it).
/// </summary>
public sealed class Shingles
{
    /// <summary>Words per shingle: three keeps common two-word phrases ("the children") from counting as resemblance.</summary>
    public const int Size = 3;

    private readonly Dictionary<ulong, string> _phrases;

    private Shingles(Dictionary<ulong, string> phrases) => _phrases = phrases;

    public int Count => _phrases.Count;

    /// <summary>The text's shingles; each keeps the words as written (lower case) for showing as evidence.</summary>
    public static Shingles Of(string? text)
    {
        var words = Split(text);
        var phrases = new Dictionary<ulong, string>();
        for (var i = 0; i + Size <= words.Count; i++)
        {
            var window = words.Skip(i).Take(Size).ToList();
            phrases.TryAdd(Hash(string.Join(' ', window.Select(w => w.Token))), string.Join(' ', window.Select(w => w.Written)));
        }
        return new Shingles(phrases);
    }

    /// <summary>Personal pronouns and possessives: one token, so "your children" written to her reads as "her children" retold.</summary>
    private static readonly HashSet<string> Pronouns = new(StringComparer.Ordinal)
    {
        "i", "me", "my", "mine", "you", "your", "yours", "he", "him", "his", "she", "her", "hers", "they", "them", "their", "theirs", "we", "us", "our", "ours",
    };

    /// <summary>The token every personal pronoun becomes.</summary>
    public const string Pronoun = "·";

    /// <summary>
    /// Lower-case words of letters and digits; apostrophes inside a word are dropped ("don't" is "dont"),
    /// personal pronouns become one token and a final "s" is dropped from longer words ("swans" and "swan",
    /// "knows" and "know"), so a message retold in the third person still shares its phrases.
    /// </summary>
    public static IReadOnlyList<string> Words(string? text) => [.. Split(text).Select(w => w.Token)];

    private static List<(string Token, string Written)> Split(string? text)
    {
        var words = new List<(string, string)>();
        if (string.IsNullOrEmpty(text))
        {
            return words;
        }
        var current = new StringBuilder();
        foreach (var ch in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(ch))
            {
                current.Append(char.ToLower(ch, CultureInfo.InvariantCulture));
            }
            else if (ch is '\'' or '\u2019' && current.Length > 0)
            {
                continue;
            }
            else if (current.Length > 0)
            {
                words.Add((Token(current.ToString()), current.ToString()));
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            words.Add((Token(current.ToString()), current.ToString()));
        }
        return words;
    }

    private static string Token(string word) =>
        Pronouns.Contains(word) ? Pronoun
        : word.Length > 3 && word[^1] == 's' && word[^2] != 's' ? word[..^1]
        : word;

    /// <summary>The shingles both texts have.</summary>
    public int Shared(Shingles other) => _phrases.Keys.Count(other._phrases.ContainsKey);

    /// <summary>|A ∩ B| / |A ∪ B|; 0 when both are empty.</summary>
    public double Resemblance(Shingles other)
    {
        var shared = Shared(other);
        var union = Count + other.Count - shared;
        return union == 0 ? 0 : (double)shared / union;
    }

    /// <summary>|A ∩ B| / |A|: how much of this text is found in the other.</summary>
    public double Containment(Shingles other) => Count == 0 ? 0 : (double)Shared(other) / Count;

    /// <summary>Up to <paramref name="max"/> of this text's phrases (as this text writes them) that the other text also has, in this text's order.</summary>
    public IReadOnlyList<string> SharedPhrases(Shingles other, int max) =>
        [.. _phrases.Where(p => other._phrases.ContainsKey(p.Key)).Select(p => p.Value).Take(max)];

    private static ulong Hash(string phrase)
    {
        var hash = 14695981039346656037UL;
        foreach (var ch in phrase)
        {
            hash = (hash ^ ch) * 1099511628211UL;
        }
        return hash;
    }
}

/// <summary>When a referral's wording counts as closely resembling a logged message.</summary>
public static class Resemblance
{
    /// <summary>Fewer shared phrases than this is never resemblance, whatever the ratios (short texts share a few by chance).</summary>
    public const int MinimumShared = 5;

    /// <summary>A Jaccard index at least this high is close resemblance.</summary>
    public const double MinimumResemblance = 0.25;

    /// <summary>Or this share of the referral's phrases found in the message.</summary>
    public const double MinimumContainment = 0.4;

    public static bool IsClose(Shingles referral, Shingles message, out int shared)
    {
        shared = referral.Shared(message);
        return shared >= MinimumShared && (referral.Resemblance(message) >= MinimumResemblance || referral.Containment(message) >= MinimumContainment);
    }
}
