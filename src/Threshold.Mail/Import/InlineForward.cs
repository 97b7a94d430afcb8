using System.Globalization;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;

namespace Threshold.Mail.Import;

/// <summary>
/// Finds the original message inside a forward that was pasted into the body — Gmail's
/// "---------- Forwarded message ---------", Outlook's "-----Original Message-----" or its
/// underscore rule followed by From/Sent/To/Subject, Thunderbird's "-------- Forwarded Message
/// --------", Apple Mail's "Begin forwarded message:" — and reads its header block.
/// </summary>
public static partial class InlineForward
{
    /// <summary>The original as the forwarding client showed it.</summary>
    public sealed record Original(string Client, string? FromName, string? FromAddress, DateTimeOffset? Date, string? DateText, string? Subject, string? To, string Body);

    private static readonly TimeZoneInfo London = FindLondon();

    public static Original? Find(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }
        var lines = body.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = Unquote(lines[i]).Trim();
            var client = Marker(line, i + 1 < lines.Length ? Unquote(lines[i + 1]).Trim() : "");
            if (client is null)
            {
                continue;
            }
            // Outlook's bare header block starts on the From line itself; the others after their marker.
            var start = client == "Outlook (no separator)" ? i : i + 1;
            var original = ReadBlock(lines, start, client);
            if (original is not null)
            {
                return original;
            }
        }
        return null;
    }

    private static string? Marker(string line, string next)
    {
        if (GmailMarker().IsMatch(line))
        {
            return "Gmail";
        }
        if (OriginalMarker().IsMatch(line))
        {
            return "Outlook";
        }
        if (ThunderbirdMarker().IsMatch(line))
        {
            return "Thunderbird";
        }
        if (line.StartsWith("Begin forwarded message", StringComparison.OrdinalIgnoreCase))
        {
            return "Apple Mail";
        }
        if (UnderscoreRule().IsMatch(line) && next.StartsWith("From:", StringComparison.OrdinalIgnoreCase))
        {
            return "Outlook";
        }
        return null;
    }

    private static Original? ReadBlock(string[] lines, int start, string client)
    {
        var i = start;
        while (i < lines.Length && Unquote(lines[i]).Trim().Length == 0)
        {
            i++;
        }
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        for (; i < lines.Length; i++)
        {
            var line = Unquote(lines[i]);
            if (line.Trim().Length == 0)
            {
                break;
            }
            var m = HeaderLine().Match(line);
            if (m.Success)
            {
                last = m.Groups[1].Value;
                fields[last] = m.Groups[2].Value.Trim();
            }
            else if (last is not null && char.IsWhiteSpace(line[0]))
            {
                fields[last] += " " + line.Trim();
            }
            else
            {
                break;
            }
        }
        if (!fields.TryGetValue("From", out var from))
        {
            return null;
        }
        var (name, address) = ParseFrom(from);
        var dateText = fields.GetValueOrDefault("Date") ?? fields.GetValueOrDefault("Sent");
        var body = string.Join('\n', lines.Skip(i).Select(Unquote)).Trim('\n', ' ');
        return new Original(client, name, address, ParseDate(dateText), dateText, fields.GetValueOrDefault("Subject"), fields.GetValueOrDefault("To"), body);
    }

    /// <summary>"Gary Pike &lt;g@x&gt;", "Gary Pike [mailto:g@x]", "g@x" or a bare name.</summary>
    public static (string? Name, string? Address) ParseFrom(string from)
    {
        var text = MailtoBracket().Replace(from, "<$1>").Trim();
        if (MailboxAddress.TryParse(text, out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal))
        {
            return (string.IsNullOrWhiteSpace(mailbox.Name) ? null : mailbox.Name.Trim(), mailbox.Address);
        }
        var bare = BareAddress().Match(text);
        if (bare.Success)
        {
            var name = text.Replace(bare.Value, "", StringComparison.Ordinal).Trim(' ', '<', '>', '"', '\'');
            return (name.Length == 0 ? null : name, bare.Value);
        }
        return (text.Trim('"', ' ').Length == 0 ? null : text.Trim('"', ' '), null);
    }

    public static DateTimeOffset? ParseDate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DateUtils.TryParse(text, out var rfc))
        {
            return rfc;
        }
        var cleaned = text.Replace(" at ", " ", StringComparison.OrdinalIgnoreCase).Trim();
        foreach (var culture in new[] { CultureInfo.GetCultureInfo("en-GB"), CultureInfo.GetCultureInfo("en-US") })
        {
            if (DateTime.TryParse(cleaned, culture, DateTimeStyles.AllowWhiteSpaces, out var local))
            {
                var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
                return new DateTimeOffset(unspecified, London.GetUtcOffset(unspecified));
            }
        }
        return null;
    }

    private static string Unquote(string line)
    {
        var s = line;
        while (s.StartsWith('>'))
        {
            s = s[1..].TrimStart(' ');
        }
        return s;
    }

    private static TimeZoneInfo FindLondon()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    [GeneratedRegex(@"^-{3,}\s*Forwarded message\s*-{3,}$", RegexOptions.IgnoreCase)]
    private static partial Regex GmailMarker();

    [GeneratedRegex(@"^-{3,}\s*Original Message\s*-{3,}$", RegexOptions.IgnoreCase)]
    private static partial Regex OriginalMarker();

    [GeneratedRegex(@"^-{3,}\s*Forwarded Message\s*-{3,}$")]
    private static partial Regex ThunderbirdMarker();

    [GeneratedRegex(@"^_{10,}$")]
    private static partial Regex UnderscoreRule();

    [GeneratedRegex(@"^(From|Sent|Date|To|Cc|Subject|Reply-To|Importance)\s*:\s*(.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"\[mailto:([^\]]+)\]", RegexOptions.IgnoreCase)]
    private static partial Regex MailtoBracket();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-']+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex BareAddress();
}
