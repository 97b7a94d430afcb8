using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Threshold.Mail.Triage;

/// <summary>One entry of the lexicon: a phrase or pattern that counts toward a label.</summary>
/// <remarks>
/// <c>Phrase</c> is words matched whole, case-insensitively, with <c>*</c> standing for any word
/// ending (<c>slag*</c>); <c>Pattern</c> is a .NET regular expression for what a phrase cannot say.
/// <c>Negatable</c> (default true): a negation just before it ("I would never hurt you") cancels it.
/// </remarks>
public sealed record LexiconEntry
{
    public string? Phrase { get; init; }
    public string? Pattern { get; init; }
    public double Weight { get; init; } = 1;
    public bool Negatable { get; init; } = true;
    public string? Note { get; init; }

    /// <summary>For a pattern: word beginnings, one of which must be in the text for the pattern to be tried.</summary>
    public IReadOnlyList<string>? Hints { get; init; }

    [JsonIgnore]
    internal Regex Regex { get; set; } = null!;

    /// <summary>Groups of word beginnings: from every group one must begin a word of the text for the entry to be tried; none: always try it.</summary>
    [JsonIgnore]
    internal string[][] Triggers { get; set; } = [];

    [JsonIgnore]
    public string Display => Phrase ?? Note ?? Pattern ?? "";
}

/// <summary>A label's entries and the scores at which it becomes possible or likely.</summary>
public sealed record LabelLexicon
{
    public double Possible { get; init; } = 1;
    public double Likely { get; init; } = 2;
    public IReadOnlyList<LexiconEntry> Entries { get; init; } = [];
}

/// <summary>
/// The triage lexicon: versioned data, not code (STYLE.md, law and policy as data). Loaded from
/// <c>Triage/Data/triage-lexicon.json</c>, embedded in the assembly; its version is recorded with
/// every triage so a label can always be traced to the lexicon that produced it.
/// </summary>
public sealed record Lexicon
{
    public required string Version { get; init; }
    public string? Source { get; init; }
    public IReadOnlyList<string> Negators { get; init; } = [];
    public int NegationWindow { get; init; } = 3;
    public IReadOnlyList<string> ReportingCues { get; init; } = [];
    public required IReadOnlyDictionary<string, LabelLexicon> Labels { get; init; }

    private static readonly Lazy<Lexicon> Embedded = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Threshold.Mail.Triage.Data.triage-lexicon.json")
            ?? throw new InvalidOperationException("The triage lexicon is missing from the assembly.");
        return Load(stream);
    });

    public static Lexicon Default => Embedded.Value;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads and compiles a lexicon; throws <see cref="InvalidDataException"/> with a plain reason for a bad file.</summary>
    public static Lexicon Load(Stream stream)
    {
        Lexicon lexicon;
        try
        {
            lexicon = JsonSerializer.Deserialize<Lexicon>(stream, Json) ?? throw new InvalidDataException("The lexicon file is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The lexicon file is not valid: {e.Message}", e);
        }
        foreach (var (label, entries) in lexicon.Labels)
        {
            foreach (var entry in entries.Entries)
            {
                var pattern = entry.Pattern ?? PhrasePattern(entry.Phrase
                    ?? throw new InvalidDataException($"An entry of '{label}' has neither a phrase nor a pattern."));
                // Every word of a phrase must begin some word of the text (its letters up to any apostrophe or hyphen);
                // for a pattern, one of its hints must.
                entry.Triggers = entry.Hints is { Count: > 0 } hints
                    ? [[.. hints.Select(h => h.ToLowerInvariant())]]
                    : entry.Phrase is { } phrase
                        ? [.. phrase.Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries)
                            .Select(w => new string([.. w.TakeWhile(char.IsLetter)]).ToLowerInvariant())
                            .Where(w => w.Length > 0)
                            .Select(w => new[] { w })]
                        : [];
                try
                {
                    entry.Regex = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException e)
                {
                    throw new InvalidDataException($"The pattern '{pattern}' of '{label}' is not a valid regular expression: {e.Message}", e);
                }
            }
        }
        return lexicon;
    }

    /// <summary>Words matched whole; straight and curly apostrophes alike; * for any ending.</summary>
    internal static string PhrasePattern(string phrase)
    {
        var words = phrase.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w =>
        {
            var star = w.EndsWith('*');
            var core = Regex.Escape(star ? w[..^1] : w).Replace("'", "['’]?", StringComparison.Ordinal);
            return star ? core + @"\w*" : core;
        });
        // \b rather than look-arounds where the phrase starts and ends with a letter: the same matches, and the
        // regex engine can then search for the leading literal directly.
        var trimmed = phrase.Trim().TrimEnd('*');
        var start = char.IsLetter(trimmed[0]) ? @"\b" : @"(?<![\w])";
        var end = char.IsLetter(trimmed[^1]) || phrase.TrimEnd().EndsWith('*') ? @"\b" : @"(?![\w])";
        return start + string.Join(@"[\s\-]+", words) + end;
    }
}
