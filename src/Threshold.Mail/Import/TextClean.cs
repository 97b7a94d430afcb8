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
        var cleaned = Clean(text);
        Span<byte> bytes = stackalloc byte[1024];
        var wrote = false;
        var i = 0;
        while (i < cleaned.Length)
        {
            // The next word: a run of characters that are not space, tab or line break.
            var rest = cleaned.AsSpan(i);
            var start = rest.IndexOfAnyExcept(' ', '\t', '\n');
            if (start < 0)
            {
                break;
            }
            rest = rest[start..];
            var length = rest.IndexOfAny(' ', '\t', '\n');
            var word = length < 0 ? rest : rest[..length];
            if (wrote)
            {
                hash.AppendData(" "u8);
            }
            wrote = true;
            // Cleaned text has no lone surrogates; a chunk never ends between the two halves of a pair.
            while (word.Length > 0)
            {
                var take = Math.Min(word.Length, bytes.Length / 3);
                if (take < word.Length && char.IsHighSurrogate(word[take - 1]))
                {
                    take--;
                }
                hash.AppendData(bytes[..Encoding.UTF8.GetBytes(word[..take], bytes)]);
                word = word[take..];
            }
            i += start + (length < 0 ? rest.Length : length);
        }
    }
}
