using System.Globalization;
using System.Text.RegularExpressions;
using Threshold.Domain.Harassment;
using Threshold.Mail.Triage;

namespace Threshold.Harassment.Triage;

// The pre-optimisation triage scorer (src/Threshold.Mail/Triage/TriageScorer.cs as of commit 52e339c), kept
// unchanged as a test oracle: TriageScorerEquivalenceTests checks that the single-pass scorer gives
// exactly its findings. Only the class name, namespace and usings differ; do not "improve" it.
/// <summary>
/// A transparent scorer for the harassment log's triage labels. Each label's score is the sum of
/// the weights of the lexicon entries found in the text, and the words that fired are the reasons.
/// Two things do not count: text the sender quotes — reply history ("&gt;" lines, "On … wrote:"),
/// and words in quotation marks after a reporting verb ("he called me a '…'"), so a person
/// reporting abuse is not scored as abusive — and phrases negated just before ("I would never hurt
/// you"). Buckets: likely, possible, unlikely.
/// </summary>
public sealed partial class ReferenceTriageScorer
{
    private readonly Regex _cues;

    public ReferenceTriageScorer(Lexicon lexicon)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        Lexicon = lexicon;
        // Whole words only: "said" is a cue, "unsaid" is not.
        _cues = new Regex(@"(?<![\w])(" + string.Join('|', lexicon.ReportingCues.Select(Regex.Escape)) + @")(?![\w])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    /// <summary>How much of a message is scored.</summary>
    public const int MaxScoredChars = 20_000;

    public static ReferenceTriageScorer Default { get; } = new(Lexicon.Default);

    public Lexicon Lexicon { get; }

    public IReadOnlyList<LabelFinding> Score(string? subject, string? body, TriageContext? context = null, DateTimeOffset? receivedAt = null)
    {
        var all = string.Join("\n", subject ?? "", body ?? "");
        // Abuse is in the opening lines; a very long message is scored on its start, and says so.
        var cut = all.Length > MaxScoredChars;
        var text = OwnWords(cut ? all[..MaxScoredChars] : all, out var reportedSpans);
        var words = Words(text);
        var findings = new List<LabelFinding>();
        foreach (var label in TriageLabels.All.Select(l => l.Slug))
        {
            var reasons = new List<string>();
            double score = 0;
            if (Lexicon.Labels.TryGetValue(label, out var entries))
            {
                foreach (var entry in entries.Entries)
                {
                    if (!entry.Triggers.All(group => group.Any(t => HasWordStartingWith(words, t))))
                    {
                        continue;
                    }
                    try
                    {
                        foreach (Match m in entry.Regex.Matches(text))
                        {
                            var why = entry.Negatable && IsNegated(text, m.Index) ? "negated"
                                : reportedSpans.Any(r => m.Index >= r.Start && m.Index < r.End) ? "quoted as reported speech"
                                : null;
                            if (why is not null)
                            {
                                reasons.Add($"not counted: “{Snippet(m.Value)}” ({why})");
                                continue;
                            }
                            score += entry.Weight;
                            reasons.Add($"“{Snippet(m.Value)}”{(entry.Note is null ? "" : $" ({entry.Note})")} +{entry.Weight.ToString("0.##", CultureInfo.InvariantCulture)}");
                            // An entry counts once: later occurrences change nothing.
                            break;
                        }
                    }
                    catch (RegexMatchTimeoutException)
                    {
                        // Never a crash for a pathological text: the entry is reported as not checked.
                        reasons.Add($"not checked: “{entry.Display}” took too long on this text");
                    }
                }
            }
            if (label == TriageLabels.RepeatedAfterStop && context?.AskedToStopOn is { } asked && (receivedAt is null || receivedAt > asked))
            {
                var likely = entries?.Likely ?? 2;
                score += likely;
                reasons.Add($"the office asked them to stop on {asked:d MMMM yyyy}{(context.AskedHow is null ? "" : $" ({context.AskedHow})")} and this came after +{likely.ToString("0.##", CultureInfo.InvariantCulture)}");
            }
            if (cut)
            {
                reasons.Add($"only the first {MaxScoredChars:N0} characters were scored");
            }
            var bucket = entries is null ? TriageLabels.Unlikely
                : score >= entries.Likely ? TriageLabels.Likely
                : score >= entries.Possible ? TriageLabels.Possible
                : TriageLabels.Unlikely;
            findings.Add(new LabelFinding(label, bucket, Math.Round(score, 2), reasons));
        }
        return findings;
    }

    /// <summary>
    /// The sender's own words: reply history is cut off, and spans in quotation marks that follow a
    /// reporting verb are returned so they are not counted.
    /// </summary>
    internal string OwnWords(string text, out List<(int Start, int End)> reported)
    {
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        var kept = new List<string>();
        foreach (var line in lines)
        {
            var trimmed = line.TrimStart();
            if (ReplyHeader().IsMatch(trimmed) || trimmed.StartsWith("-----Original Message", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }
            if (trimmed.StartsWith('>'))
            {
                continue;
            }
            kept.Add(line);
        }
        var own = string.Join('\n', kept);
        reported = [];
        foreach (Match q in QuotedSpan().Matches(own))
        {
            var before = own[Math.Max(0, q.Index - 80)..q.Index];
            if (_cues.IsMatch(before))
            {
                reported.Add((q.Index, q.Index + q.Length));
            }
        }
        // "he called my wife a …" reports a name someone else used, quoted or not.
        foreach (Match c in CalledSomeone().Matches(own))
        {
            reported.Add((c.Index, c.Index + c.Length));
        }
        return own;
    }

    /// <summary>The text's distinct words (runs of letters), lower-cased and sorted, for the entries' triggers.</summary>
    private static string[] Words(string text)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var letter = i < text.Length && char.IsLetter(text[i]);
            if (letter && start < 0)
            {
                start = i;
            }
            else if (!letter && start >= 0)
            {
                set.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }
        var words = set.ToArray();
        Array.Sort(words, StringComparer.Ordinal);
        return words;
    }

    private static bool HasWordStartingWith(string[] sorted, string prefix)
    {
        var i = Array.BinarySearch(sorted, prefix, StringComparer.Ordinal);
        if (i >= 0)
        {
            return true;
        }
        i = ~i;
        return i < sorted.Length && sorted[i].StartsWith(prefix, StringComparison.Ordinal);
    }

    private bool IsNegated(string text, int index)
    {
        // The words just before the match, within the same clause.
        var start = Math.Max(0, index - 60);
        var before = text[start..index];
        var clauseBreak = before.LastIndexOfAny(['.', '!', '?', ';', ',', '\n', ':']);
        if (clauseBreak >= 0)
        {
            before = before[(clauseBreak + 1)..];
        }
        var words = Word().Matches(before.ToLowerInvariant()).Select(m => m.Value.Replace('’', '\'')).TakeLast(Lexicon.NegationWindow);
        return words.Any(w => Lexicon.Negators.Contains(w) || w.EndsWith("n't", StringComparison.Ordinal));
    }

    private static string Snippet(string s) => s.Length <= 60 ? s : s[..57] + "…";

    [GeneratedRegex(@"^On .{4,200}(wrote|said):\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ReplyHeader();

    // An opening mark not inside a word, a closing one not followed by a letter: "I'll" does not end a quotation.
    [GeneratedRegex("(?<![\\w])[\"“‘'][^\"“”\\n]{1,200}?[\"”’'](?![\\w])")]
    private static partial Regex QuotedSpan();

    [GeneratedRegex(@"(?<![\w])(call(ed|ing|s)?|named)\s+(me|her|him|us|them|my\s+\w+|our\s+\w+)\s+(an?\s+)?[^.,;!?\n]{1,40}", RegexOptions.IgnoreCase)]
    private static partial Regex CalledSomeone();

    [GeneratedRegex(@"[\w'’]+")]
    private static partial Regex Word();
}
