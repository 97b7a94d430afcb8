using System.Text;

namespace Threshold.Mail.Import;

/// <summary>
/// Makes text from untrusted mail safe to store: no NUL (PostgreSQL text cannot hold it), no lone
/// surrogate (it has no UTF-8 form, so the stored bytes would not be the hashed bytes), no other
/// control characters but line breaks and tabs; line endings are \n.
/// </summary>
public static class TextClean
{
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
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
}
