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

    /// <summary>One line: folded header whitespace collapsed.</summary>
    public static string OneLine(string? text) =>
        string.Join(' ', Clean(text).Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries));

    public static string? OneLineOrNull(string? text) => OneLine(text) is { Length: > 0 } s ? s : null;

    /// <summary>
    /// Feeds <c>OneLine(text)</c>'s UTF-8 bytes to <paramref name="hash"/> without building it: the same
    /// bytes, for a body of any length, with no string per word.
    /// </summary>
    public static void AppendOneLine(IncrementalHash hash, string? text)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var cleaned = Clean(text).AsSpan();
        // Words are encoded into one buffer that goes to the hash when full: one call per 4 KB, not per word.
        Span<byte> buffer = stackalloc byte[4096];
        var used = 0;
        var first = true;
        while (true)
        {
            var start = cleaned.IndexOfAnyExcept(' ', '\t', '\n');
            if (start < 0)
            {
                break;
            }
            cleaned = cleaned[start..];
            var length = cleaned.IndexOfAny(' ', '\t', '\n');
            var word = length < 0 ? cleaned : cleaned[..length];
            cleaned = cleaned[word.Length..];
            if (!first)
            {
                Put(hash, buffer, ref used, " ");
            }
            first = false;
            Put(hash, buffer, ref used, word);
        }
        hash.AppendData(buffer[..used]);

        static void Put(IncrementalHash hash, Span<byte> buffer, ref int used, ReadOnlySpan<char> chars)
        {
            // Cleaned text has no lone surrogates; a chunk never ends between the two halves of a pair.
            while (chars.Length > 0)
            {
                if (buffer.Length - used < 12)
                {
                    hash.AppendData(buffer[..used]);
                    used = 0;
                }
                var take = Math.Min(chars.Length, (buffer.Length - used) / 3);
                if (take < chars.Length && char.IsHighSurrogate(chars[take - 1]))
                {
                    take--;
                }
                used += Encoding.UTF8.GetBytes(chars[..take], buffer[used..]);
                chars = chars[take..];
            }
        }
    }
}
