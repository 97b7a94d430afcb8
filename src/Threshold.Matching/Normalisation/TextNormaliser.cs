using System.Globalization;
using System.Text;

namespace Threshold.Matching.Normalisation;

/// <summary>Lower-cases, folds accents to ASCII and keeps letters, digits and single spaces.</summary>
public static class TextNormaliser
{
    /// <summary>
    /// Folds <paramref name="text"/> to lower-case ASCII letters and digits separated by single
    /// spaces. Apostrophes vanish (O'Neill → oneill); hyphens and other punctuation become spaces.
    /// Returns "" for null or blank input.
    /// </summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var raw in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(raw) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var c = FoldLigature(char.ToLowerInvariant(raw));
            if (c is '\'' or '\u2019' or '\u2018' or '`')
            {
                continue;
            }

            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (pendingSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                pendingSpace = false;
                builder.Append(c);
            }
            else if (c is 'ß')
            {
                builder.Append("ss");
            }
            else if (c is 'æ')
            {
                builder.Append("ae");
            }
            else if (c is 'ø')
            {
                builder.Append('o');
            }
            else if (c is 'ł')
            {
                builder.Append('l');
            }
            else
            {
                pendingSpace = true;
            }
        }

        return builder.ToString();
    }

    private static char FoldLigature(char c) => c switch
    {
        'đ' => 'd',
        'ı' => 'i',
        _ => c,
    };
}
