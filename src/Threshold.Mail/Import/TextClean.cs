using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Threshold.Mail.Import;

/// <summary>
/// Makes text from untrusted mail safe to store: no NUL (PostgreSQL text cannot hold it), no lone
/// surrogate (it has no UTF-8 form, so the stored bytes would not be the hashed bytes), no other
/// control characters but line breaks and tabs; line endings are \n.
/// </summary>
public static class TextClean
{
    // What Clean changes: control characters other than \n and \t, and surrogates (kept only in valid pairs).
    private static readonly SearchValues<char> NeedsCleaning = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Concat(Enumerable.Range(0xD800, 0x800))
            .Where(c => c is not '\n' and not '\t').Select(c => (char)c)));

    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        // Most text needs nothing: find the first character that might, vectorised.
        var first = text.AsSpan().IndexOfAny(NeedsCleaning);
        if (first < 0)
        {
            return text;
        }
        StringBuilder? sb = null;
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            var keep = true;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    sb?.Append(c).Append(text[i + 1]);
                    i++;
                    continue;
                }
                keep = false;
            }
            else if (char.IsLowSurrogate(c) || (char.IsControl(c) && c is not '\n' and not '\t'))
            {
                keep = false;
            }
            if (!keep && sb is null)
            {
                sb = new StringBuilder(text.Length).Append(text, 0, i);
            }
            if (keep)
            {
                sb?.Append(c);
            }
            else if (c != '\r' && c != '\0')
            {
                sb!.Append('\uFFFD');
            }
        }
        return sb?.ToString() ?? text;
    }

    /// <summary>
    /// One line: runs of spaces, tabs and line breaks (folded header whitespace) become one space, none at either
    /// end. The text itself comes back when nothing needs changing, as most headers do not.
    /// </summary>
    public static string OneLine(string? text)
    {
        var cleaned = Clean(text);
        if (IsOneLine(cleaned))
        {
            return cleaned;
        }
        var result = new StringBuilder(cleaned.Length);
        var owed = false;
        foreach (var c in cleaned)
        {
            if (c is ' ' or '\t' or '\n')
            {
                owed = result.Length > 0;
                continue;
            }
            if (owed)
            {
                result.Append(' ');
                owed = false;
            }
            result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>No line break or tab, no space at either end and no two spaces together.</summary>
    private static bool IsOneLine(string text)
    {
        var span = text.AsSpan();
        if (span.Length == 0)
        {
            return true;
        }
        if (span[0] == ' ' || span[^1] == ' ' || span.IndexOfAny('\t', '\n') >= 0)
        {
            return false;
        }
        var at = span.IndexOf(' ');
        while (at >= 0)
        {
            if (span[at + 1] == ' ')
            {
                return false;
            }
            var next = span[(at + 1)..].IndexOf(' ');
            at = next < 0 ? -1 : at + 1 + next;
        }
        return true;
    }

    public static string? OneLineOrNull(string? text) => OneLine(text) is { Length: > 0 } s ? s : null;

    /// <summary>
    /// Feeds <c>OneLine(text)</c>'s UTF-8 bytes to <paramref name="hash"/> without building it: the same
    /// bytes, for a body of any length, in one pass over the characters (a call per word to find it and
    /// another to encode it cost ten times as much on a long body).
    /// </summary>
    public static void AppendOneLine(IncrementalHash hash, string? text)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var cleaned = Clean(text).AsSpan();
        Span<byte> buffer = stackalloc byte[4096];
        var used = 0;
        var any = false;
        var owed = false; // a space is owed before the next word
        for (var i = 0; i < cleaned.Length; i++)
        {
            var c = cleaned[i];
            if (c is ' ' or '\t' or '\n')
            {
                owed = any;
                continue;
            }
            // Room for the owed space and the longest character (four bytes).
            if (used > buffer.Length - 5)
            {
                hash.AppendData(buffer[..used]);
                used = 0;
            }
            if (owed)
            {
                buffer[used++] = (byte)' ';
                owed = false;
            }
            any = true;
            if (c < 0x80)
            {
                buffer[used++] = (byte)c;
                continue;
            }
            // Cleaned text keeps surrogates only in valid pairs, so this never fails.
            Rune.DecodeFromUtf16(cleaned[i..], out var rune, out var consumed);
            used += rune.EncodeToUtf8(buffer[used..]);
            i += consumed - 1;
        }
        hash.AppendData(buffer[..used]);
    }
}
