using System.Security.Cryptography;
using System.Text;
using Threshold.Mail.Import;

namespace Threshold.Harassment;

/// <summary>
/// The reader's text helpers were rewritten for speed (no string per word, no split of the whole
/// body); the fingerprint decides duplicates across imports, so it must not change by one bit.
/// These compare each with the straightforward form it replaced, on random and awkward texts.
/// </summary>
public class MailTextTests
{
    private const string Alphabet = "ab c\t\n\r\0\u0007é€\u00A0\u2028-+0123456789>";

    [Fact]
    public void Fingerprint_IsTheHashOfTheJoinedOneLineFields()
    {
        var random = new Random(11);
        for (var n = 0; n < 5_000; n++)
        {
            var body = RandomText(random, random.Next(0, 3_000));
            var subject = RandomText(random, random.Next(0, 40));
            var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f',
                "<id@example.net>", "gary.pike@example.net", ReferenceOneLine("Mon, 6 Jan 2025"), ReferenceOneLine(subject), ReferenceOneLine(body)))));
            Assert.Equal(expected, MailReader.Fingerprint("<id@example.net>", "Gary.Pike@example.net", "Mon, 6 Jan 2025", subject, body));
        }
    }

    [Fact]
    public void Fingerprint_OfALongBodyWithSurrogatePairsAtChunkEdges_MatchesTheJoinedForm()
    {
        // Words of emoji (surrogate pairs) long enough to cross the encoder's chunk size at every offset.
        for (var offset = 0; offset < 4; offset++)
        {
            var body = new string('x', offset) + string.Concat(Enumerable.Repeat("😀", 2_000)) + " tail\r\nend";
            var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', "", "", "", "", ReferenceOneLine(body)))));
            Assert.Equal(expected, MailReader.Fingerprint(null, null, null, null, body));
        }
    }

    [Fact]
    public void Clean_GivesWhatTheCharacterByCharacterRuleGives()
    {
        var random = new Random(5);
        for (var n = 0; n < 20_000; n++)
        {
            var text = RandomText(random, random.Next(0, 200));
            Assert.Equal(ReferenceClean(text), TextClean.Clean(text));
        }
        Assert.Same("plain text\nwith\ttabs", TextClean.Clean("plain text\nwith\ttabs"));
    }

    [Fact]
    public void OneLine_GivesWhatSplittingAndJoiningGives()
    {
        var random = new Random(17);
        string[] pieces = ["word", " ", "  ", "\t", "\n", "\r\n", "é", "\u00a0", "\0", "x"];
        for (var n = 0; n < 20_000; n++)
        {
            var text = n % 2 == 0 ? RandomText(random, random.Next(0, 60)) : string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
            Assert.Equal(ReferenceOneLine(text), TextClean.OneLine(text));
        }
        Assert.Same("Gary Pike <gary@example.net>", TextClean.OneLine("Gary Pike <gary@example.net>"));
    }

    [Fact]
    public void Tidy_GivesWhatTheLineByLineRuleGives()
    {
        var random = new Random(23);
        string[] pieces = ["text", "more", " ", "\t", "\u00a0", "\n", "\r\n", "\n\n", "\n \n", "é"];
        for (var n = 0; n < 20_000; n++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 16)).Select(_ => pieces[random.Next(pieces.Length)]));
            Assert.Equal(ReferenceTidy(text), Threshold.Mail.Import.HtmlText.Tidy(text));
        }
    }

    [Fact]
    public void SignaturePhone_FindsTheLatestNumberInTheLastTwelveUnquotedLines()
    {
        var random = new Random(3);
        string[] lines = ["", "  ", "> 07700 900123", "Call me on 07700 900456", "Kind regards", "Gary", "+44 7700 900789", "tel: 0117 496 0123", "nothing here"];
        for (var n = 0; n < 5_000; n++)
        {
            var body = string.Join(random.Next(2) == 0 ? "\n" : "\r\n", Enumerable.Range(0, random.Next(0, 30)).Select(_ => lines[random.Next(lines.Length)]));
            Assert.Equal(ReferenceSignaturePhone(body), MailReader.SignaturePhone(body));
        }
    }

    private static string RandomText(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.Next(40) == 0 ? (char)random.Next(0xD800, 0xE000) : Alphabet[random.Next(Alphabet.Length)];
        }
        return new string(chars);
    }

    private static string ReferenceClean(string text)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c) || (char.IsControl(c) && c is not '\n' and not '\t'))
            {
                if (c is not '\r' and not '\0')
                {
                    sb.Append('\uFFFD');
                }
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static string ReferenceOneLine(string? text) =>
        string.Join(' ', ReferenceClean(text ?? "").Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The rule as first written: each line's words joined by one space, blank lines between text kept as one.</summary>
    private static string ReferenceTidy(string text)
    {
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n')
            .Select(l => string.Join(' ', l.Split([' ', '\t', '\u00a0'], StringSplitOptions.RemoveEmptyEntries)));
        var result = new StringBuilder();
        var blank = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                blank++;
                continue;
            }
            if (result.Length > 0)
            {
                result.Append(blank > 0 ? "\n\n" : "\n");
            }
            blank = 0;
            result.Append(line);
        }
        return result.ToString();
    }

    private static string? ReferenceSignaturePhone(string body)
    {
        var pattern = new System.Text.RegularExpressions.Regex(@"(?<![\d+])(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s\-]?){9,10}(?!\d)");
        var last = body.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('>')).TakeLast(12);
        foreach (var line in last.Reverse())
        {
            var m = pattern.Match(line);
            if (m.Success)
            {
                return m.Value.Trim();
            }
        }
        return null;
    }
}
