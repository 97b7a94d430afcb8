using System.Globalization;
using System.Text.RegularExpressions;

namespace Threshold.Mail.Triage;

/// <summary>
/// Finds the lexicon's entries in a text in one pass over its words, with exactly the matches each
/// entry's own regular expression would give, in text order.
/// </summary>
/// <remarks>
/// <para>
/// A phrase (<see cref="Lexicon.PhrasePattern"/>) is a word boundary, words of letters compared
/// case-insensitively, an optional straight or curly apostrophe where the phrase has one, a hyphen
/// where the phrase has one inside a word, <c>[\s\-]+</c> between words, <c>\w*</c> for a final
/// <c>*</c>, and a word boundary. Every such step has one way to succeed, so all phrases are one trie
/// walked from each word start: a phrase matches there exactly when its path through the trie does.
/// </para>
/// <para>
/// A pattern stays a regular expression, but is only tried where it could begin: every lexicon
/// pattern starts with <c>(?&lt;![\w])</c> and a word (or a choice of words), so the trie also
/// holds those leading letters, and the pattern is run anchored (<c>\G</c>) at the word starts that
/// have them — the same matches as a scan of the whole text, at a fraction of the cost. A phrase or
/// pattern outside these shapes (none in today's lexicon) is scanned as before.
/// </para>
/// <para>
/// The entries' triggers (hints) are checked as before: a phrase without hints needs none, as any
/// match already contains a word beginning with each of its words.
/// </para>
/// </remarks>
internal sealed class LexiconMatcher
{
    /// <summary>How an entry is found.</summary>
    internal enum Way
    {
        /// <summary>Through the trie of phrases.</summary>
        Phrase,

        /// <summary>Its regular expression, anchored at the word starts that have its leading letters.</summary>
        PatternAtWordStarts,

        /// <summary>Its regular expression over the whole text, as before (an entry of an unusual shape).</summary>
        WholeText,
    }

    private readonly LexiconEntry[] _entries;
    private readonly Dictionary<string, int> _firstOfLabel = [];
    private readonly Way[] _ways;
    private readonly Regex?[] _anchored;
    private readonly int[][]?[] _gates;
    private readonly Node _words = new();

    /// <summary>
    /// The trie's common steps as one table: node × (a–z, not a letter, apostrophe, separator) → next node, 0 for
    /// none (the root is never next). The rarer steps and what ends or begins at a node are on its <see cref="Node"/>.
    /// </summary>
    private readonly int[] _next;
    private readonly Node[] _nodes;
    private readonly bool[] _more;
    private readonly int[] _trigger;

    /// <summary>Whether a node has a trigger or more (<see cref="Node.HasMore"/>): one look for the usual node, which has neither.</summary>
    private readonly bool[] _marked;
    private const int NotALetter = 26;
    private const int ApostropheStep = 27;
    private const int SeparatorStep = 28;
    private const int Steps = 29;
    private readonly TriggerNode _triggers = new();
    private int _triggerCount;
    private readonly int _extras;
    private readonly bool _triggersInTrie;

    /// <param name="lexicon">The lexicon.</param>
    /// <param name="extraPatterns">
    /// The scorer's own patterns to find candidates for in the same pass (numbered after the lexicon's entries, see
    /// <see cref="ExtraIndex"/>); each must have a shape <see cref="PatternBeginnings"/> understands.
    /// </param>
    public LexiconMatcher(Lexicon lexicon, params string[] extraPatterns)
    {
        _entries = [.. lexicon.Labels.Values.SelectMany(l => l.Entries)];
        var first = 0;
        foreach (var (label, entries) in lexicon.Labels)
        {
            _firstOfLabel[label] = first;
            first += entries.Entries.Count;
        }
        _ways = new Way[_entries.Length];
        _anchored = new Regex?[_entries.Length];
        _gates = new int[_entries.Length][][];
        var triggerIds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _entries.Length; i++)
        {
            var entry = _entries[i];
            if (entry.Pattern is null && PhraseSteps(entry.Phrase!) is { } steps)
            {
                _ways[i] = Way.Phrase;
                Add(_words, steps, 0, i);
            }
            else if (entry.Pattern is not null && PatternBeginnings(entry.Pattern) is { } beginnings)
            {
                _ways[i] = Way.PatternAtWordStarts;
                _anchored[i] = new Regex(@"\G(?:" + entry.Pattern + ")", entry.Regex.Options, entry.Regex.MatchTimeout);
                AddBeginnings(beginnings, i);
            }
            else
            {
                _ways[i] = Way.WholeText;
            }
            // The entry's triggers, as Lexicon.Load made them; a phrase found through the trie needs none unless it has hints.
            if (_ways[i] != Way.Phrase || entry.Hints is { Count: > 0 })
            {
                _gates[i] = [.. entry.Triggers.Select(group => group.Select(t => TriggerId(t, triggerIds)).ToArray())];
            }
        }
        for (var k = 0; k < extraPatterns.Length; k++)
        {
            AddBeginnings(PatternBeginnings(extraPatterns[k]) ?? throw new ArgumentException($"'{extraPatterns[k]}' does not start with a word.", nameof(extraPatterns)), _entries.Length + k);
        }
        _extras = extraPatterns.Length;
        // Triggers of a–z only are also put in the trie, so the walk from a word start marks them on its way.
        _triggersInTrie = triggerIds.Keys.All(t => t.Length > 0 && t.All(char.IsAsciiLetterLower));
        foreach (var (trigger, id) in _triggersInTrie ? triggerIds : [])
        {
            var node = Path(_words, [.. trigger.Select(c => (Step.Letter, c))], 0, trigger.Length);
            node.Trigger = id;
        }
        var nodes = new List<Node>();
        _words.Seal(nodes);
        _nodes = [.. nodes];
        _more = [.. nodes.Select(n => n.HasMore)];
        _trigger = [.. nodes.Select(n => n.Trigger)];
        _marked = [.. nodes.Select(n => n.HasMore || n.Trigger >= 0)];
        _next = new int[nodes.Count * Steps];
        foreach (var node in nodes)
        {
            foreach (var (letter, next) in node.Letters ?? [])
            {
                _next[node.Id * Steps + letter - 'a'] = next.Id;
            }
            _next[node.Id * Steps + ApostropheStep] = node.Apostrophe?.Id ?? 0;
            _next[node.Id * Steps + SeparatorStep] = node.Separator?.Id ?? 0;
        }
    }

    private void AddBeginnings(List<List<(Step Step, char Letter)>> beginnings, int index)
    {
        foreach (var beginning in beginnings)
        {
            var node = Path(_words, beginning, 0, beginning.Count);
            node.PatternStarts ??= [];
            if (!node.PatternStarts.Contains(index))
            {
                node.PatternStarts.Add(index);
            }
        }
    }

    /// <summary>An entry's number: its place among all the lexicon's entries, label after label.</summary>
    public int IndexOf(string label, int entry) => _firstOfLabel[label] + entry;

    public Way WayOf(int entry) => _ways[entry];

    /// <summary>The number under which the <paramref name="k"/>th extra pattern's candidate word starts are found.</summary>
    public int ExtraIndex(int k) => _entries.Length + k;

    public LexiconEntry Entry(int entry) => _entries[entry];

    /// <summary>How many entries the lexicon has.</summary>
    public int EntryCount => _entries.Length;

    /// <summary>The anchored regular expression of a pattern tried at word starts.</summary>
    public Regex Anchored(int entry) => _anchored[entry]!;

    /// <summary>
    /// One pass over the text: every phrase match and every word start where a pattern could begin, grouped by
    /// entry in text order, and which triggers the text's words satisfy.
    /// </summary>
    public Found Find(string text)
    {
        var pass = new Pass(text, new List<Hit>(64), new bool[_triggerCount]);
        var i = 0;
        while (true)
        {
            if (i == text.Length)
            {
                break;
            }
            if (text[i] < 128 ? Chars.AsciiKind(text[i]) == Chars.NotWord : !Chars.IsWordChar(text[i]))
            {
                i++;
                continue;
            }
            // A run of word characters. Phrases, patterns and (when all are a–z) triggers begin at its first letter;
            // most words leave the trie within two letters, so those two are looked at here.
            var first = _next[Chars.AsciiLower(text[i])];
            if (first != 0 && (_marked[first] || (i + 1 < text.Length && _next[first * Steps + StepOf(text[i + 1])] != 0)))
            {
                Walk(pass, first, i, i + 1, phraseMayStart: i == 0 || !Chars.IsBoundaryWordChar(text[i - 1]));
            }
            // Most words are ASCII letters up to a space or punctuation: the walk has marked their triggers.
            var end = i;
            while (end < text.Length && text[end] < 128 && Chars.AsciiKind(text[end]) < NotALetter)
            {
                end++;
            }
            var plainWord = _triggersInTrie && end > i && (end == text.Length || (text[end] < 128 && Chars.AsciiKind(text[end]) == Chars.NotWord));
            i = plainWord ? end : EndOfWord(pass, i);
        }
        return new Found(pass.Hits, _entries.Length + _extras, pass.Triggered);
    }

    /// <summary>
    /// Where the run of word characters at <paramref name="start"/> ends, marking the triggers its runs of letters
    /// begin with (lower-cased, as Lexicon's triggers are) that the walk did not: all of them when the triggers are
    /// not all a–z or the run does not begin with such a letter, otherwise those of runs of letters after a digit,
    /// '_' or mark inside it.
    /// </summary>
    private int EndOfWord(Pass pass, int start)
    {
        var text = pass.Text;
        var walked = _triggersInTrie && Chars.AsciiLower(text[start]) < NotALetter;
        var i = start;
        if (walked)
        {
            while (i < text.Length && text[i] < 128 && Chars.AsciiKind(text[i]) < NotALetter)
            {
                i++;
            }
            if (i == text.Length || (text[i] < 128 && !Chars.IsWordChar(text[i])))
            {
                return i;
            }
        }
        TriggerNode? trigger = null;
        var inLetters = i > start;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            var kind = c < 128 ? Chars.AsciiKind(c) : !Chars.IsWordChar(c) ? Chars.NotWord : char.IsLetter(c) ? Chars.OtherLetter : Chars.WordNotLetter;
            if (kind == Chars.NotWord)
            {
                break;
            }
            if (kind == Chars.WordNotLetter)
            {
                inLetters = false;
                continue;
            }
            if (!inLetters)
            {
                inLetters = true;
                trigger = _triggers;
                Mark(trigger, pass.Triggered);
            }
            if (trigger is not null)
            {
                trigger = trigger.Child(kind < 26 ? (char)('a' + kind) : char.ToLowerInvariant(c));
                Mark(trigger, pass.Triggered);
            }
        }
        return i;
    }

    /// <summary>One pass's text and what it has found so far.</summary>
    private sealed record Pass(string Text, List<Hit> Hits, bool[] Triggered);

    /// <summary>Whether the pass left anything to look at for the entry: a hit, or a scan of the whole text.</summary>
    public bool MayMatch(int entry, Found found) => _ways[entry] == Way.WholeText || !found.Of(entry).IsEmpty;

    /// <summary>Whether an entry's triggers pass (Lexicon: from every group one must begin a word of the text).</summary>
    public bool Passes(int entry, Found found)
    {
        foreach (var group in _gates[entry] ?? [])
        {
            var any = false;
            foreach (var id in group)
            {
                any |= found.Triggered[id];
            }
            if (!any)
            {
                return false;
            }
        }
        return true;
    }

    private static void Mark(TriggerNode? node, bool[] triggered)
    {
        if (node is { Id: >= 0 })
        {
            triggered[node.Id] = true;
        }
    }

    /// <summary>Every way on from node <paramref name="node"/> at <paramref name="at"/>: a loop along letters, a recursion for anything else.</summary>
    private void Walk(Pass pass, int node, int start, int at, bool phraseMayStart)
    {
        var text = pass.Text;
        while (true)
        {
            if (_marked[node])
            {
                if (_trigger[node] >= 0)
                {
                    pass.Triggered[_trigger[node]] = true;
                }
                if (_more[node])
                {
                    More(pass, _nodes[node], start, at, phraseMayStart);
                }
            }
            if (at == text.Length)
            {
                return;
            }
            var step = StepOf(text[at]);
            if (_next[node * Steps + step] is var next && next == 0)
            {
                return;
            }
            node = next;
            at++;
            // [\s\-]+ is greedy, and what follows it in a phrase or pattern is never a separator.
            while (step == SeparatorStep && at < text.Length && Chars.IsSeparator(text[at]))
            {
                at++;
            }
        }
    }

    /// <summary>The column of <see cref="_next"/> for a character.</summary>
    private static int StepOf(char c) => c < 128 ? AsciiSteps[c] : SlowStepOf(c);

    private static int SlowStepOf(char c)
    {
        var step = Chars.AsciiLower(c);
        return step != NotALetter ? step : c is '\'' or '’' ? ApostropheStep : Chars.IsSeparator(c) ? SeparatorStep : NotALetter;
    }

    /// <summary><see cref="StepOf"/> for ASCII, looked up.</summary>
    private static readonly byte[] AsciiSteps = [.. Enumerable.Range(0, 128).Select(c => (byte)SlowStepOf((char)c))];

    /// <summary>What a node has besides letters: the entries that end or begin there, and the other steps on.</summary>
    private void More(Pass pass, Node node, int start, int at, bool phraseMayStart)
    {
        var text = pass.Text;
        if (node.PatternStarts is { } patterns)
        {
            foreach (var entry in patterns)
            {
                pass.Hits.Add(new Hit(entry, start, -1));
            }
        }
        if (node.Tail is { } tail)
        {
            // \w* after a starred word: greedy, and giving characters back could only put a word character
            // before the separator or the final boundary, which never matches.
            var end = at;
            while (end < text.Length && Chars.IsWordChar(text[end]))
            {
                end++;
            }
            Walk(pass, tail.Id, start, end, phraseMayStart);
        }
        foreach (var (key, run) in node.Runs ?? [])
        {
            // The rest of c+: greedy, and what follows it never starts with c.
            var end = at;
            while (end < text.Length && RunKey(text[end]) == key)
            {
                end++;
            }
            Walk(pass, run.Id, start, end, phraseMayStart);
        }
        if (node.PhraseEnds is { } phrases && phraseMayStart && (at == text.Length || !Chars.IsBoundaryWordChar(text[at])))
        {
            foreach (var entry in phrases)
            {
                pass.Hits.Add(new Hit(entry, start, at));
            }
        }
        if (at == text.Length)
        {
            return;
        }
        var c = text[at];
        if (node.Hyphen is { } hyphen && c == '-')
        {
            Walk(pass, hyphen.Id, start, at + 1, phraseMayStart);
        }
        foreach (var (key, other) in node.Others ?? [])
        {
            if (c == key)
            {
                Walk(pass, other.Id, start, at + 1, phraseMayStart);
            }
        }
    }

    /// <summary>A letter as its lower-case ASCII letter (as it is matched), any other character as itself.</summary>
    private static char RunKey(char c) => Chars.AsciiLower(c) is var l and < 26 ? (char)('a' + l) : c;

    private int TriggerId(string trigger, Dictionary<string, int> ids)
    {
        if (!ids.TryGetValue(trigger, out var id))
        {
            var node = _triggers;
            foreach (var c in trigger)
            {
                node = node.Add(c);
            }
            if (node.Id < 0)
            {
                node.Id = _triggerCount++;
            }
            id = ids[trigger] = node.Id;
        }
        return id;
    }

    /// <summary>One step of a phrase or a pattern's beginning through the trie.</summary>
    internal enum Step
    {
        Letter,
        Apostrophe,
        Hyphen,
        Separator,
        Tail,

        /// <summary>A character other than a letter, matched exactly (patterns only).</summary>
        Other,

        /// <summary>Any more of the letter or other character just taken (patterns only: <c>f+</c> is f then this).</summary>
        Run,
    }

    /// <summary>
    /// A phrase as trie steps, if it has the usual shape: words of ASCII letters, with apostrophes and hyphens
    /// only between letters and <c>*</c> only at a word's end. Otherwise null, and the entry is scanned as before.
    /// </summary>
    internal static List<(Step Step, char Letter)>? PhraseSteps(string phrase)
    {
        var words = phrase.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return null;
        }
        var steps = new List<(Step, char)>();
        foreach (var word in words)
        {
            var star = word.EndsWith('*');
            var core = star ? word[..^1] : word;
            if (core.Length == 0 || !char.IsAsciiLetter(core[0]) || !char.IsAsciiLetter(core[^1]))
            {
                return null;
            }
            if (steps.Count > 0)
            {
                steps.Add((Step.Separator, ' '));
            }
            for (var i = 0; i < core.Length; i++)
            {
                var c = core[i];
                if (char.IsAsciiLetter(c))
                {
                    steps.Add((Step.Letter, char.ToLowerInvariant(c)));
                }
                else if (c is '\'' or '-' && char.IsAsciiLetter(core[i + 1]) && char.IsAsciiLetter(core[i - 1]))
                {
                    steps.Add((c == '-' ? Step.Hyphen : Step.Apostrophe, c));
                }
                else
                {
                    return null;
                }
            }
            if (star)
            {
                steps.Add((Step.Tail, '*'));
            }
        }
        return steps;
    }

    /// <summary>Adds a phrase's steps, twice from each apostrophe: with it and without it (<c>['’]?</c>).</summary>
    private static void Add(Node node, List<(Step Step, char Letter)> steps, int from, int entry)
    {
        var apostrophe = steps.FindIndex(from, s => s.Step == Step.Apostrophe);
        if (apostrophe >= 0)
        {
            var before = Path(node, steps, from, apostrophe);
            Add(before, steps, apostrophe + 1, entry);
            Add(before.Apostrophe ??= new Node(), steps, apostrophe + 1, entry);
            return;
        }
        var end = Path(node, steps, from, steps.Count);
        end.PhraseEnds ??= [];
        if (!end.PhraseEnds.Contains(entry))
        {
            end.PhraseEnds.Add(entry);
        }
    }

    /// <summary>The node reached from <paramref name="node"/> by steps <paramref name="from"/> to <paramref name="to"/>, made as needed.</summary>
    private static Node Path(Node node, List<(Step Step, char Letter)> steps, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            var (step, letter) = steps[i];
            node = step switch
            {
                Step.Letter => Child(ref node.Letters, letter),
                Step.Apostrophe => node.Apostrophe ??= new Node(),
                Step.Hyphen => node.Hyphen ??= new Node(),
                Step.Separator => node.Separator ??= new Node(),
                Step.Other => Child(ref node.Others, letter),
                Step.Run => Child(ref node.Runs, letter),
                _ => node.Tail ??= new Node(),
            };
        }
        return node;
    }

    private static Node Child(ref (char Key, Node Node)[]? children, char c)
    {
        foreach (var (key, node) in children ?? [])
        {
            if (key == c)
            {
                return node;
            }
        }
        var child = new Node();
        children = [.. children ?? [], (c, child)];
        return child;
    }

    /// <summary>
    /// How a pattern can begin, as trie steps, if it starts <c>(?&lt;![\w])</c> and then a letter: every match begins
    /// at a word start from which one of these paths can be walked. A path may accept more than the pattern (a
    /// separator step takes any run of spaces and hyphens; a path stops at anything else) — the pattern itself then
    /// decides — but never less. Null for any other shape.
    /// </summary>
    internal static List<List<(Step Step, char Letter)>>? PatternBeginnings(string pattern)
    {
        const string NotAfterWord = @"(?<![\w])";
        if (!pattern.StartsWith(NotAfterWord, StringComparison.Ordinal) || TopLevel(pattern, '|').Count > 0)
        {
            return null;
        }
        var paths = new List<List<(Step Step, char Letter)>>();
        Beginnings(pattern[NotAfterWord.Length..], [], paths);
        // Walked from a word start: the first step must take a letter.
        return paths.All(p => p.Count > 0 && p[0].Step == Step.Letter) ? paths : null;
    }

    private static void Beginnings(string rest, List<(Step Step, char Letter)> path, List<List<(Step Step, char Letter)>> paths)
    {
        if (rest.Length == 0 || path.Count >= 16 || paths.Count >= 256)
        {
            paths.Add(path);
            return;
        }
        if (rest[0] == '(')
        {
            // A group: each of its alternatives followed by what comes after it.
            var close = TopLevel(rest, ')').FirstOrDefault(-1);
            if (close < 0 || rest[1] == '?' || (close + 1 < rest.Length && rest[close + 1] is '?' or '*' or '+' or '{'))
            {
                paths.Add(path);
                return;
            }
            var inner = rest[1..close];
            var bars = TopLevel(inner, '|');
            foreach (var (from, to) in bars.Prepend(-1).Zip(bars.Append(inner.Length)))
            {
                Beginnings(string.Concat(inner.AsSpan(from + 1, to - from - 1), rest.AsSpan(close + 1)), path, paths);
            }
            return;
        }
        var (choices, length) = Item(rest);
        var quantifier = length < rest.Length ? rest[length] : '\0';
        if (choices.Count == 0 || quantifier is '*')
        {
            paths.Add(path);
            return;
        }
        if (quantifier == '{')
        {
            // x{n}: n copies of x; x{n,m} or x{n,}: n copies, then the path stops.
            var close = rest.IndexOf('}', length);
            var counts = close < 0 ? [] : rest[(length + 1)..close].Split(',');
            if (counts.Length is 0 or > 2 || !int.TryParse(counts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is 0 or > 8)
            {
                paths.Add(path);
                return;
            }
            var copies = string.Concat(Enumerable.Repeat(rest[..length], n));
            Beginnings(counts.Length == 1 ? copies + rest[(close + 1)..] : copies, path, paths);
            return;
        }
        if (quantifier == '?')
        {
            Beginnings(rest[(length + 1)..], path, paths);
        }
        var after = rest[(quantifier is '?' or '+' ? length + 1 : length)..];
        foreach (var choice in choices)
        {
            // Separators run together: one separator step takes the whole run.
            if (choice.Step == Step.Separator && path.Count > 0 && path[^1].Step == Step.Separator)
            {
                Beginnings(after, path, paths);
                continue;
            }
            if (quantifier == '+' && choice.Step != Step.Separator)
            {
                // One or more: taken greedily, so the path can only go on if what follows cannot start with it.
                List<(Step Step, char Letter)> run = [.. path, choice, (Step.Run, choice.Letter)];
                var (next, nextLength) = after.Length == 0 ? ([], 0) : Item(after);
                var optional = nextLength < after.Length && after[nextLength] is '?' or '*' or '{';
                if (next.Count > 0 && !optional && next.All(n => n.Step is Step.Letter or Step.Other && n.Letter != choice.Letter))
                {
                    Beginnings(after, run, paths);
                }
                else
                {
                    paths.Add(run);
                }
                continue;
            }
            Beginnings(after, [.. path, choice], paths);
        }
    }

    /// <summary>
    /// The first item of a pattern as the steps it can be: a letter, a space or <c>\s</c>, a digit or other plain
    /// character (escaped or not), a class of these without ranges (<c>['’]</c> is an apostrophe step); none for anything else.
    /// </summary>
    private static (List<(Step Step, char Letter)> Choices, int Length) Item(string rest)
    {
        var c = rest[0];
        if (c == ' ' || rest.StartsWith(@"\s", StringComparison.Ordinal))
        {
            return ([(Step.Separator, ' ')], c == ' ' ? 1 : 2);
        }
        if (c == '\\' && rest.Length > 1 && char.IsAsciiLetterOrDigit(rest[1]))
        {
            return ([], 0);
        }
        if (c == '\\')
        {
            return (Plain(rest[1], inClass: true) is { } escaped ? [escaped] : [], 2);
        }
        if (c == '[')
        {
            var close = rest.IndexOf(']', 1);
            var members = close > 1 ? rest[1..close] : "";
            if (members.Length == 0 || members.Contains('^') || members.Contains('-') || members.Contains('\\') || members.Contains('['))
            {
                return ([], 0);
            }
            var apostrophes = members.Contains('\'') && members.Contains('’');
            var steps = members.Where(m => !(apostrophes && m is '\'' or '’')).Select(m => Plain(m, inClass: true)).ToList();
            if (steps.Any(s => s is null))
            {
                return ([], 0);
            }
            return ([.. steps.Select(s => s!.Value).Distinct(), .. apostrophes ? [(Step.Apostrophe, '\'')] : Array.Empty<(Step, char)>()], close + 1);
        }
        return (Plain(c) is { } plain ? [plain] : [], 1);
    }

    /// <summary>A character that matches itself (a letter case-insensitively): printable ASCII, not whitespace or a hyphen, and outside a class not a metacharacter.</summary>
    private static (Step Step, char Letter)? Plain(char c, bool inClass = false) =>
        char.IsAsciiLetter(c) ? (Step.Letter, char.ToLowerInvariant(c))
        : c is > ' ' and < '\x7f' and not '-' && (inClass || !"\\^$.|?*+()[]{}".Contains(c)) ? (Step.Other, c)
        : null;

    /// <summary>Where <paramref name="wanted"/> occurs outside groups, character classes and escapes; ')' closing the first group.</summary>
    private static List<int> TopLevel(string s, char wanted)
    {
        var at = new List<int>();
        var depth = 0;
        for (var i = 0; i < s.Length; i++)
        {
            switch (s[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    // A class ends at the first ']' that is not escaped and not its first character.
                    i++;
                    if (i < s.Length && s[i] == '^')
                    {
                        i++;
                    }
                    if (i < s.Length && s[i] == ']')
                    {
                        i++;
                    }
                    while (i < s.Length && s[i] != ']')
                    {
                        i += s[i] == '\\' ? 2 : 1;
                    }
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    if (wanted == ')' && depth == 0)
                    {
                        at.Add(i);
                    }
                    break;
                case '|' when wanted == '|' && depth == 0:
                    at.Add(i);
                    break;
            }
        }
        return at;
    }

    /// <summary>A phrase match (<c>End</c> set) or a word start where a pattern could begin (<c>End</c> = -1).</summary>
    internal readonly record struct Hit(int Entry, int Start, int End);

    /// <summary>What one pass found: each entry's hits in text order, and the triggers the text satisfies.</summary>
    internal sealed class Found
    {
        private readonly Hit[] _hits;
        private readonly int[] _firsts;

        public Found(List<Hit> hits, int entries, bool[] triggered)
        {
            Triggered = triggered;
            // Grouped by entry, keeping text order within each (a counting sort).
            _firsts = new int[entries + 1];
            foreach (var hit in hits)
            {
                _firsts[hit.Entry + 1]++;
            }
            for (var e = 0; e < entries; e++)
            {
                _firsts[e + 1] += _firsts[e];
            }
            _hits = new Hit[hits.Count];
            Span<int> next = entries <= 1024 ? stackalloc int[entries] : new int[entries];
            _firsts.AsSpan(0, entries).CopyTo(next);
            foreach (var hit in hits)
            {
                _hits[next[hit.Entry]++] = hit;
            }
        }

        public bool[] Triggered { get; }

        /// <summary>An entry's hits in text order.</summary>
        public ReadOnlySpan<Hit> Of(int entry) => _hits.AsSpan(_firsts[entry], _firsts[entry + 1] - _firsts[entry]);
    }

    /// <summary>A node of the trie of phrases and patterns' beginnings.</summary>
    private sealed class Node
    {
        /// <summary>The next letters (a–z), while the trie is built.</summary>
        public (char Key, Node Node)[]? Letters;
        public Node? Apostrophe;
        public Node? Hyphen;
        public Node? Separator;
        public Node? Tail;
        public (char Key, Node Node)[]? Others;
        public (char Key, Node Node)[]? Runs;
        public List<int>? PhraseEnds;
        public List<int>? PatternStarts;

        /// <summary>The trigger (word beginning) that ends here, or -1.</summary>
        public int Trigger = -1;

        /// <summary>Its number in <see cref="_next"/>.</summary>
        public int Id;

        /// <summary>Whether it has anything besides letters, apostrophes and separators.</summary>
        public bool HasMore;

        /// <summary>Numbers this node and those below it, and sets <see cref="HasMore"/>, once the trie is built.</summary>
        public void Seal(List<Node> all)
        {
            Id = all.Count;
            all.Add(this);
            HasMore = Hyphen is not null || Tail is not null
                || Others is not null || Runs is not null || PhraseEnds is not null || PatternStarts is not null;
            foreach (var child in new[] { Apostrophe, Hyphen, Separator, Tail }.Concat((Letters ?? []).Concat(Others ?? []).Concat(Runs ?? []).Select(o => o.Node)))
            {
                child?.Seal(all);
            }
        }
    }

    /// <summary>A node of the trie of triggers (word beginnings).</summary>
    private sealed class TriggerNode
    {
        private readonly TriggerNode?[] _letters = new TriggerNode?[26];
        private Dictionary<char, TriggerNode>? _others;

        public int Id { get; set; } = -1;

        public TriggerNode? Child(char c) => char.IsAsciiLetterLower(c) ? _letters[c - 'a']
            : _others is not null && _others.TryGetValue(c, out var child) ? child : null;

        public TriggerNode Add(char c)
        {
            if (char.IsAsciiLetterLower(c))
            {
                return _letters[c - 'a'] ??= new TriggerNode();
            }
            _others ??= [];
            if (!_others.TryGetValue(c, out var child))
            {
                child = _others[c] = new TriggerNode();
            }
            return child;
        }
    }
}

/// <summary>The regular-expression engine's character classes, for matching by hand exactly as it does.</summary>
internal static class Chars
{
    private const int WordCategories =
        1 << (int)UnicodeCategory.UppercaseLetter | 1 << (int)UnicodeCategory.LowercaseLetter | 1 << (int)UnicodeCategory.TitlecaseLetter |
        1 << (int)UnicodeCategory.ModifierLetter | 1 << (int)UnicodeCategory.OtherLetter | 1 << (int)UnicodeCategory.NonSpacingMark |
        1 << (int)UnicodeCategory.DecimalDigitNumber | 1 << (int)UnicodeCategory.ConnectorPunctuation;

    /// <summary>Kinds of character besides 0–25, an ASCII letter (a–z, either case).</summary>
    public const int WordNotLetter = 26, NotWord = 27, OtherLetter = 28;

    /// <summary>For ASCII: 0–25 for a letter (either case), 26 for a digit or '_' (other word characters), 27 for the rest.</summary>
    private static readonly byte[] Ascii = [.. Enumerable.Range(0, 128).Select(c =>
        (byte)(char.IsAsciiLetter((char)c) ? (c | 0x20) - 'a' : char.IsAsciiDigit((char)c) || c == '_' ? 26 : 27))];

    /// <summary>The kind of an ASCII character: its letter (0–25), <see cref="WordNotLetter"/> or <see cref="NotWord"/>.</summary>
    public static int AsciiKind(char c) => Ascii[c];

    /// <summary><c>\w</c>: letters, non-spacing marks, decimal digits, connector punctuation.</summary>
    public static bool IsWordChar(char c) => c < 128
        ? Ascii[c] < 27
        : (WordCategories & (1 << (int)CharUnicodeInfo.GetUnicodeCategory(c))) != 0;

    /// <summary>What <c>\b</c> counts as a word character: <c>\w</c> and the zero-width joiner and non-joiner.</summary>
    public static bool IsBoundaryWordChar(char c) => IsWordChar(c) || c is '\u200D' or '\u200C';

    /// <summary><c>[\s\-]</c>.</summary>
    public static bool IsSeparator(char c) => c == '-' || char.IsWhiteSpace(c);

    /// <summary>
    /// 0–25 for a character that a lexicon letter matches case-insensitively (invariant culture: its lower case is
    /// that ASCII letter — A–Z, a–z and the Kelvin sign), 26 for any other.
    /// </summary>
    public static int AsciiLower(char c) => c < 128 ? Math.Min(Ascii[c], (byte)26) : char.ToLowerInvariant(c) is var lower && char.IsAsciiLetterLower(lower) ? lower - 'a' : 26;
}
