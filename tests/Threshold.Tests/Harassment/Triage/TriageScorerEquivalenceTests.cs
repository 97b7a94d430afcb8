using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Threshold.Mail.Triage;

namespace Threshold.Harassment.Triage;

/// <summary>
/// The single-pass scorer gives exactly the findings of the scorer it replaced (<see cref="ReferenceTriageScorer"/>,
/// kept as the oracle): the same labels, buckets, scores and reasons, in the same order, for every text tried.
/// </summary>
public sealed class TriageScorerEquivalenceTests
{
    private static readonly DateTimeOffset Asked = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("labelled-tuning.jsonl")]
    [InlineData("labelled-heldout.jsonl")]
    public void The_labelled_messages_score_exactly_as_before(string set)
    {
        foreach (var m in TriageAccuracyTests.Load(set))
        {
            AssertSame(TriageScorer.Default, ReferenceTriageScorer.Default, null, m.Text, null, null, m.Id);
            AssertSame(TriageScorer.Default, ReferenceTriageScorer.Default, "Re: " + m.Text[..Math.Min(40, m.Text.Length)], m.Text,
                m.AskedToStop ? new TriageContext(Asked, "letter") : null, Asked.AddDays(30), m.Id + " with context");
        }
    }

    [Fact]
    public void Generated_texts_score_exactly_as_before()
    {
        var random = new Random(20261126);
        var pieces = new Pieces(Lexicon.Default, random);
        for (var i = 0; i < 4000; i++)
        {
            var (subject, body) = pieces.Message(i);
            var context = (i % 7) switch
            {
                0 => new TriageContext(Asked, i % 2 == 0 ? "letter" : null),
                1 => TriageContext.None,
                _ => null,
            };
            DateTimeOffset? received = (i % 5) switch { 0 => Asked.AddDays(-3), 1 => Asked.AddDays(3), 2 => Asked, _ => null };
            AssertSame(TriageScorer.Default, ReferenceTriageScorer.Default, subject, body, context, received, $"generated #{i}");
        }
    }

    [Fact]
    public void Very_long_and_empty_texts_score_exactly_as_before()
    {
        var random = new Random(7);
        var pieces = new Pieces(Lexicon.Default, random);
        for (var i = 0; i < 12; i++)
        {
            var body = new StringBuilder();
            while (body.Length < 19_990 + (i * 1_500))
            {
                body.Append(pieces.Sentence()).Append(random.Next(5) == 0 ? "\n" : " ");
            }
            AssertSame(TriageScorer.Default, ReferenceTriageScorer.Default, pieces.Sentence(), body.ToString(), null, null, $"long #{i}");
        }
        foreach (var (subject, body) in new (string?, string?)[] { (null, null), ("", ""), (null, ""), ("", null), ("idiot", null), (null, "idiot"), ("\n", "\r\n"), (" ", "'") })
        {
            AssertSame(TriageScorer.Default, ReferenceTriageScorer.Default, subject, body, null, null, $"[{subject}] [{body}]");
        }
    }

    [Fact]
    public void Entries_of_unusual_shape_are_scanned_as_before_and_give_the_same_findings()
    {
        // Phrases and patterns the single pass does not take (digits, symbols, a pattern without a word start) are
        // scanned over the whole text as before; hints on a phrase still gate it.
        var lexicon = Lexicon.Load(new MemoryStream(Encoding.UTF8.GetBytes("""
            {
              "version": "test", "negators": ["not", "never"], "reportingCues": ["said"],
              "labels": {
                "abusive": { "entries": [
                  { "phrase": "£5 note" }, { "phrase": "f*ck off" }, { "phrase": "'em all" }, { "phrase": "café idiot" },
                  { "phrase": "idiot", "hints": ["zzz"] }, { "phrase": "pig-headed*" }, { "phrase": "go  away" },
                  { "pattern": "\\bfool(s|ish)?\\b" }, { "pattern": "(?<![\\w])(\\w+)\\s+clown", "hints": ["clown"] },
                  { "pattern": "(?<![\\w])(you|u)\\s+(absolute\\s+)?(muppet|numpty)", "weight": 2 }
                ] },
                "threatening": { "possible": 0.5, "entries": [ { "phrase": "watch* it", "negatable": false }, { "pattern": "(?<![\\w])x{2,3}y" } ] }
              }
            }
            """)));
        var fresh = new TriageScorer(lexicon);
        var oracle = new ReferenceTriageScorer(lexicon);
        string[] texts =
        [
            "a £5 note, you idiot; f*ck off and take 'em all with you, café idiot",
            "zzz idiot. You're a fool, foolish fools! What a clown, big clown. You absolute muppet, u numpty",
            "I never said you were pig-headed, pig-headedness is not a crime; go  away, go away. Watching it, watch it xxy xxxy xy",
            "Unidiotic, idiotzzz, zzzidiot idiot",
        ];
        foreach (var text in texts)
        {
            AssertSame(fresh, oracle, null, text, null, null, text);
        }
    }

    [Fact]
    public void The_lexicon_is_found_in_the_single_pass()
    {
        // Every entry of today's lexicon has a shape the single pass takes; an entry that did not would still score
        // the same, only slower (scanned over the whole text) — this says so when one is added.
        var matcher = new LexiconMatcher(Lexicon.Default);
        var slow = Lexicon.Default.Labels.SelectMany(l => l.Value.Entries.Select((e, i) => (l.Key, e, i)))
            .Where(x => matcher.WayOf(matcher.IndexOf(x.Key, x.i)) == LexiconMatcher.Way.WholeText)
            .Select(x => x.e.Display).ToList();
        Assert.Empty(slow);
    }

    [Fact]
    public void Character_classes_agree_with_the_regular_expression_engine()
    {
        var word = new Regex(@"^\w$");
        var separator = new Regex(@"^[\s\-]$");
        var boundary = new Regex(@"^a\B");
        var letters = Enumerable.Range('a', 26).Select(l => new Regex(((char)l).ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)).ToArray();
        var differences = new List<string>();
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            var s = c.ToString();
            if (word.IsMatch(s) != Chars.IsWordChar(c))
            {
                differences.Add($"\\w U+{i:X4}");
            }
            if (separator.IsMatch(s) != Chars.IsSeparator(c))
            {
                differences.Add($"[\\s\\-] U+{i:X4}");
            }
            if (boundary.IsMatch("a" + s) != Chars.IsBoundaryWordChar(c))
            {
                differences.Add($"\\b U+{i:X4}");
            }
            var lower = Chars.AsciiLower(c);
            for (var l = 0; l < 26; l++)
            {
                if (letters[l].IsMatch(s) != (lower == l))
                {
                    differences.Add($"'{(char)('a' + l)}' ignoring case, U+{i:X4}");
                }
            }
        }
        Assert.Empty(differences);
    }

    private static void AssertSame(TriageScorer fresh, ReferenceTriageScorer oracle, string? subject, string? body, TriageContext? context, DateTimeOffset? received, string what)
    {
        var expected = oracle.Score(subject, body, context, received);
        var actual = fresh.Score(subject, body, context, received);
        var e = JsonSerializer.Serialize(expected);
        var a = JsonSerializer.Serialize(actual);
        if (e != a)
        {
            var at = Enumerable.Range(0, Math.Min(e.Length, a.Length)).FirstOrDefault(k => e[k] != a[k], Math.Min(e.Length, a.Length));
            Assert.Fail($"{what}: findings differ at character {at}\n  before: …{e[Math.Max(0, at - 120)..Math.Min(e.Length, at + 200)]}\n  now:    …{a[Math.Max(0, at - 120)..Math.Min(a.Length, at + 200)]}\n  subject: {JsonSerializer.Serialize(subject)}\n  body: {JsonSerializer.Serialize(body)}");
        }
    }

    /// <summary>Pieces of text that exercise the scorer: lexicon phrases in many spellings, negation, reported speech, reply history.</summary>
    private sealed class Pieces(Lexicon lexicon, Random random)
    {
        private readonly string[] _phrases = [.. lexicon.Labels.Values.SelectMany(l => l.Entries).Select(e => e.Phrase).OfType<string>()];

        private readonly string[] _labelled = [.. TriageAccuracyTests.Load("labelled-tuning.jsonl").Concat(TriageAccuracyTests.Load("labelled-heldout.jsonl")).Select(m => m.Text)];

        private static readonly string[] Plain =
        [
            "I am writing about the closure of the library on Mill Road.", "The potholes on Quay Lane are getting worse every week.",
            "Thank you for coming to the residents' meeting last week.", "The children’s centre should stay open; families rely on it.",
            "Your kids walk to school on their own, don't they.", "Stupid woman, go back to the kitchen where you belong.",
            "I know where you live and I have been watching your office.", "I will keep writing until you answer me properly.",
            "unsaid", "slagheap", "kissable", "pigeonholed", "snakes and ladders", "cowardly", "hangover", "fraudster", "Scunthorpe",
            "hang on", "kill the bill", "the school gates", "café", "naïve", "Zoë", "résumé", "e\u0301clair", "Ørsted", "Straße",
            "5idiot", "idiot5", "_idiot", "idiot_", "İdiot", "ſlag", "\u212Aiss", "zero\u200Dwidth idiot\u200D", "idiot\u200C", "Ⅻ",
            "…", "—", "\t", "  ", "\u00A0", "\u2028", "-", "--", "'", "’", "‘", "\"", "“", "”", ".", ",", ";", ":", "!", "?", "(", ")", "@", "*",
        ];

        private static readonly string[] Negations = ["I would never", "I don't", "I won’t", "not", "nobody will", "I cant", "we wouldn't", "hardly", "no,", "never. I"];

        private static readonly string[] Reporting = ["he called me a", "she said", "they called my wife a", "he texted", "someone shouted", "I received messages saying", "named her a", "the words"];

        public (string? Subject, string? Body) Message(int i)
        {
            var body = new StringBuilder();
            var sentences = random.Next(1, i % 10 == 0 ? 60 : 12);
            for (var k = 0; k < sentences; k++)
            {
                body.Append(Sentence()).Append(Join());
            }
            switch (random.Next(8))
            {
                case 0:
                    body.Append("\n\nOn Mon, 2 Mar 2026 at 09:15, Gary Pike wrote:\n> ").Append(Sentence()).Append("\n> ").Append(Sentence());
                    break;
                case 1:
                    body.Append("\n-----Original Message-----\nFrom: someone\n").Append(Sentence());
                    break;
                case 2:
                    body.Insert(0, "> " + Sentence() + "\n");
                    break;
                case 3:
                    body.Append("\r\n  > quoted ").Append(Sentence()).Append("\r\nmore ").Append(Sentence());
                    break;
            }
            var subject = random.Next(6) switch { 0 => null, 1 => "", 2 => "Re: " + Sentence(), _ => Sentence() };
            return (subject, random.Next(40) == 0 ? null : body.ToString());
        }

        public string Sentence() => random.Next(10) switch
        {
            0 or 1 or 2 => Phrase(),
            3 => $"{Negations[random.Next(Negations.Length)]} {Phrase()}",
            4 => $"{Reporting[random.Next(Reporting.Length)]} {Quote()}{Phrase()}{Quote()}",
            5 => Slice(_labelled[random.Next(_labelled.Length)]),
            6 => $"{Phrase()}{Plain[random.Next(Plain.Length)]}{Phrase()}",
            _ => Plain[random.Next(Plain.Length)],
        };

        private string Slice(string text)
        {
            var from = random.Next(text.Length);
            return text[from..Math.Min(text.Length, from + random.Next(10, 160))];
        }

        private string Quote() => random.Next(6) switch { 0 => "\"", 1 => "“", 2 => "‘", 3 => "'", 4 => "”", _ => "" };

        private string Join() => random.Next(12) switch { 0 => "\n", 1 => "  ", 2 => ", ", 3 => "", 4 => "-", 5 => "\t", _ => " " };

        /// <summary>A lexicon phrase, spelt as people write it: capitals, any apostrophe or none, hyphens, endings, letters around it.</summary>
        private string Phrase()
        {
            var phrase = _phrases[random.Next(_phrases.Length)];
            var s = new StringBuilder();
            foreach (var c in phrase)
            {
                s.Append(c switch
                {
                    '*' => random.Next(5) switch { 0 => "", 1 => "s", 2 => "ing", 3 => "heap", _ => "ed" },
                    '\'' => random.Next(4) switch { 0 => "", 1 => "’", 2 => "''", _ => "'" },
                    ' ' => random.Next(8) switch { 0 => "-", 1 => "  ", 2 => " - ", 3 => "\n", 4 => "\u00A0", _ => " " },
                    'k' when random.Next(40) == 0 => "\u212A",
                    _ => random.Next(15) == 0 ? char.ToUpperInvariant(c).ToString() : c.ToString(),
                });
            }
            var word = random.Next(4) == 0 ? s.ToString().ToUpperInvariant() : random.Next(3) == 0 ? string.Concat(s.ToString()[..1].ToUpperInvariant(), s.ToString()[1..]) : s.ToString();
            return random.Next(12) switch
            {
                0 => "un" + word,
                1 => word + "s",
                2 => "é" + word,
                3 => word + "é",
                4 => word + "5",
                5 => "\u200D" + word,
                _ => word,
            };
        }
    }
}
