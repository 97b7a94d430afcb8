using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Threshold.Domain.Harassment;

namespace Threshold.Mail.Triage;

/// <summary>What the scorer knows besides the text: whether the office had asked the sender to stop before this contact.</summary>
public sealed record TriageContext(DateTimeOffset? AskedToStopOn = null, string? AskedHow = null)
{
    public static TriageContext None { get; } = new();
}

/// <summary>
/// A transparent scorer for the harassment log's triage labels. Each label's score is the sum of
/// the weights of the lexicon entries found in the text, and the words that fired are the reasons.
/// Two things do not count: text the sender quotes — reply history ("&gt;" lines, "On … wrote:"),
/// and words in quotation marks after a reporting verb ("he called me a '…'"), so a person
/// reporting abuse is not scored as abusive — and phrases negated just before ("I would never hurt
/// you"). Buckets: likely, possible, unlikely.
/// </summary>
public sealed partial class TriageScorer
{
    private readonly Regex _cues;
    private readonly LexiconMatcher _matcher;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _negators;
    private readonly string[] _counted;

    public TriageScorer(Lexicon lexicon)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        Lexicon = lexicon;
        // Whole words only: "said" is a cue, "unsaid" is not.
        _cues = new Regex(@"(?<![\w])(" + string.Join('|', lexicon.ReportingCues.Select(Regex.Escape)) + @")(?![\w])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
        _matcher = new LexiconMatcher(lexicon, CalledSomeonePattern);
        // What follows the words of an entry that counts: its note and weight, written once.
        _counted = [.. Enumerable.Range(0, _matcher.EntryCount).Select(_matcher.Entry)
            .Select(e => $"{(e.Note is null ? "" : $" ({e.Note})")} +{e.Weight.ToString("0.##", CultureInfo.InvariantCulture)}")];
        _negators = new HashSet<string>(lexicon.Negators, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>How much of a message is scored.</summary>
    public const int MaxScoredChars = 20_000;

    public static TriageScorer Default { get; } = new(Lexicon.Default);

    public Lexicon Lexicon { get; }

    public IReadOnlyList<LabelFinding> Score(string? subject, string? body, TriageContext? context = null, DateTimeOffset? receivedAt = null)
    {
        var all = string.Join("\n", subject ?? "", body ?? "");
        // Abuse is in the opening lines; a very long message is scored on its start, and says so.
        var cut = all.Length > MaxScoredChars;
        var text = WithoutReplyHistory(cut ? all[..MaxScoredChars] : all);
        // One pass over the text finds every entry (LexiconMatcher); each entry then reads its own matches.
        var found = _matcher.Find(text);
        var reportedSpans = Reported(text, found);
        var findings = new List<LabelFinding>();
        foreach (var label in TriageLabels.All.Select(l => l.Slug))
        {
            var reasons = new List<string>();
            double score = 0;
            if (Lexicon.Labels.TryGetValue(label, out var entries))
            {
                var first = _matcher.IndexOf(label, 0);
                for (var e = 0; e < entries.Entries.Count; e++)
                {
                    var entry = entries.Entries[e];
                    var index = first + e;
                    if (!_matcher.MayMatch(index, found) || !_matcher.Passes(index, found))
                    {
                        continue;
                    }
                    try
                    {
                        // Matches in text order, as Regex.Matches gives them; an entry counts once, at its first match
                        // that is neither negated nor quoted, and the ones before it are listed as not counted.
                        var matches = new Matches(_matcher, index, found, text);
                        while (matches.Next(out var at, out var length))
                        {
                            var why = entry.Negatable && IsNegated(text, at) ? "negated"
                                : IsReported(reportedSpans, at) ? "quoted as reported speech"
                                : null;
                            var value = text.AsSpan(at, length);
                            if (why is not null)
                            {
                                reasons.Add($"not counted: “{Snippet(value)}” ({why})");
                                continue;
                            }
                            score += entry.Weight;
                            reasons.Add($"“{Snippet(value)}”{_counted[index]}");
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
    /// One entry's matches in text order, without overlaps (as <see cref="Regex.Matches(string)"/>): a phrase's
    /// from the pass, a pattern's by trying it at its candidate word starts, an unusual entry's by scanning the text.
    /// </summary>
    private ref struct Matches(LexiconMatcher matcher, int entry, LexiconMatcher.Found found, string text)
    {
        private readonly ReadOnlySpan<LexiconMatcher.Hit> _hits = found.Of(entry);
        private int _next;
        private int _end;
        private Match? _scan;

        public bool Next(out int at, out int length)
        {
            switch (matcher.WayOf(entry))
            {
                case LexiconMatcher.Way.WholeText:
                    _scan = _scan is null ? matcher.Entry(entry).Regex.Match(text) : _scan.NextMatch();
                    (at, length) = (_scan.Index, _scan.Length);
                    return _scan.Success;
                case LexiconMatcher.Way.Phrase:
                    while (_next < _hits.Length)
                    {
                        var hit = _hits[_next++];
                        if (hit.Start >= _end)
                        {
                            _end = hit.End;
                            (at, length) = (hit.Start, hit.End - hit.Start);
                            return true;
                        }
                    }
                    break;
                default:
                    while (_next < _hits.Length)
                    {
                        var start = _hits[_next++].Start;
                        if (start < _end || (_next > 1 && start == _hits[_next - 2].Start))
                        {
                            continue;
                        }
                        foreach (var m in matcher.Anchored(entry).EnumerateMatches(text, start))
                        {
                            _end = m.Index + m.Length;
                            (at, length) = (m.Index, m.Length);
                            return true;
                        }
                    }
                    break;
            }
            (at, length) = (0, 0);
            return false;
        }
    }

    private static bool IsReported(List<(int Start, int End)> reported, int index)
    {
        foreach (var (start, end) in reported)
        {
            if (index >= start && index < end)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// What the sender reports others saying, so it is not counted: spans in quotation marks that follow a
    /// reporting verb, and "called my wife a …".
    /// </summary>
    private List<(int Start, int End)> Reported(string own, LexiconMatcher.Found found)
    {
        List<(int Start, int End)> reported = [];
        foreach (var q in QuotedSpan().EnumerateMatches(own))
        {
            var from = Math.Max(0, q.Index - 80);
            if (_cues.IsMatch(own.AsSpan(from, q.Index - from)))
            {
                reported.Add((q.Index, q.Index + q.Length));
            }
        }
        // "he called my wife a …" reports a name someone else used, quoted or not. Tried only where the pass found
        // "call…" or "named" at a word start: the same matches as the pattern scanned over the whole text.
        var end = 0;
        foreach (var hit in found.Of(_matcher.ExtraIndex(0)))
        {
            if (hit.Start < end)
            {
                continue;
            }
            foreach (var c in CalledSomeoneHere().EnumerateMatches(own, hit.Start))
            {
                reported.Add((c.Index, c.Index + c.Length));
                end = c.Index + c.Length;
                break;
            }
        }
        return reported;
    }

    /// <summary>
    /// The lines before any reply header or "-----Original Message", less those quoted with "&gt;", joined by
    /// "\n" — the text itself, not a copy, when every line is kept.
    /// </summary>
    private static string WithoutReplyHistory(string text)
    {
        StringBuilder? kept = null;
        var keptLines = 0;
        var lineStart = 0;
        while (true)
        {
            var newline = text.IndexOf('\n', lineStart);
            var line = text.AsSpan(lineStart, (newline < 0 ? text.Length : newline) - lineStart);
            var trimmed = line.TrimStart();
            var header = IsReplyHeader(trimmed) || trimmed.StartsWith("-----Original Message", StringComparison.OrdinalIgnoreCase);
            if (header || (trimmed.Length > 0 && trimmed[0] == '>'))
            {
                // The first line left out: the lines before it were all kept, as they stand in the text.
                kept ??= new StringBuilder(text.Length).Append(text.AsSpan(0, Math.Max(0, lineStart - 1)));
                if (header)
                {
                    break;
                }
            }
            else
            {
                kept?.Append(keptLines > 0 ? "\n" : "").Append(line);
                keptLines++;
            }
            if (newline < 0)
            {
                break;
            }
            lineStart = newline + 1;
        }
        return kept?.ToString() ?? text;
    }

    /// <summary>"On … wrote:" — the regular expression is only tried on a line that starts "On ".</summary>
    private static bool IsReplyHeader(ReadOnlySpan<char> trimmed) =>
        trimmed.Length >= 3 && (trimmed[0] | 0x20) == 'o' && (trimmed[1] | 0x20) == 'n' && trimmed[2] == ' ' && ReplyHeader().IsMatch(trimmed);

    /// <summary>Whether a negation comes just before the match: one of the last few words of its clause.</summary>
    private bool IsNegated(string text, int index)
    {
        // The words just before the match, within the same clause, lower-cased.
        var start = Math.Max(0, index - 60);
        Span<char> before = stackalloc char[index - start];
        text.AsSpan(start, index - start).ToLowerInvariant(before);
        var clauseBreak = before.LastIndexOfAny(".!?;,\n:");
        if (clauseBreak >= 0)
        {
            before = before[(clauseBreak + 1)..];
        }
        // Its last words ([\w'’]+, curly apostrophes made straight), from the end.
        var end = before.Length;
        for (var n = 0; n < Lexicon.NegationWindow; n++)
        {
            while (end > 0 && !IsNegationWordChar(before[end - 1]))
            {
                end--;
            }
            if (end == 0)
            {
                break;
            }
            var begin = end;
            while (begin > 0 && IsNegationWordChar(before[begin - 1]))
            {
                begin--;
            }
            var word = before[begin..end];
            word.Replace('’', '\'');
            if (word.EndsWith("n't", StringComparison.Ordinal) || IsNegator(word))
            {
                return true;
            }
            end = begin;
        }
        return false;
    }

    private static bool IsNegationWordChar(char c) => Chars.IsWordChar(c) || c is '\'' or '’';

    private bool IsNegator(ReadOnlySpan<char> word) => _negators.Contains(word);

    private static string Snippet(ReadOnlySpan<char> s) => s.Length <= 60 ? s.ToString() : string.Concat(s[..57], "…");

    [GeneratedRegex(@"^On .{4,200}(wrote|said):\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ReplyHeader();

    // An opening mark not inside a word, a closing one not followed by a letter: "I'll" does not end a quotation.
    [GeneratedRegex("(?<![\\w])[\"“‘'][^\"“”\\n]{1,200}?[\"”’'](?![\\w])")]
    private static partial Regex QuotedSpan();

    private const string CalledSomeonePattern = @"(?<![\w])(call(ed|ing|s)?|named)\s+(me|her|him|us|them|my\s+\w+|our\s+\w+)\s+(an?\s+)?[^.,;!?\n]{1,40}";

    /// <summary>CalledSomeonePattern anchored where it is tried.</summary>
    [GeneratedRegex(@"\G(?:" + CalledSomeonePattern + ")", RegexOptions.IgnoreCase)]
    private static partial Regex CalledSomeoneHere();
}
