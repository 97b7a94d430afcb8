namespace Threshold.Matching.Normalisation;

/// <summary>A normalised postcode with its coarser parts (for UK postcodes).</summary>
public readonly record struct Postcode(string Full, string Sector, string District)
{
    public static Postcode None { get; } = new("", "", "");

    public bool IsPresent => Full.Length > 0;
}

/// <summary>
/// Normalises UK postcodes to "OUTWARD INWARD" form in capitals ("rb1 2ab" → "RB1 2AB"), with the
/// sector ("RB1 2") and district ("RB1"). Other postcodes (for example Australian four-digit ones
/// in FEBRL) keep their letters and digits, upper-cased.
/// </summary>
public static class PostcodeNormaliser
{
    public static Postcode Normalise(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return Postcode.None;
        }

        Span<char> buffer = stackalloc char[Math.Min(raw.Length, 16)];
        var n = 0;
        foreach (var c in raw)
        {
            if (char.IsAsciiLetterOrDigit(c) && n < buffer.Length)
            {
                buffer[n++] = char.ToUpperInvariant(c);
            }
        }

        var compact = new string(buffer[..n]);
        if (IsUkShape(compact))
        {
            var outward = compact[..^3];
            var inward = compact[^3..];
            return new Postcode(outward + " " + inward, outward + " " + inward[0], outward);
        }

        return n == 0 ? Postcode.None : new Postcode(compact, "", "");
    }

    // UK postcode shape: outward code of 2 to 4 characters starting with a letter, inward code digit-letter-letter.
    private static bool IsUkShape(string s) =>
        s.Length is >= 5 and <= 7
        && char.IsAsciiLetter(s[0])
        && char.IsAsciiDigit(s[^3]) && char.IsAsciiLetter(s[^2]) && char.IsAsciiLetter(s[^1])
        && s[..^3].Any(char.IsAsciiDigit);
}
