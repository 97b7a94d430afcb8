using PhoneNumbers;

namespace Threshold.Matching.Normalisation;

/// <summary>
/// Normalises telephone numbers with libphonenumber. Numbers are never dropped for not being
/// "valid": Ofcom's drama range 07700 900xxx is possible but not valid, and real people give
/// numbers the metadata does not know yet. Anything parseable becomes E.164; anything else keeps
/// its digits.
/// </summary>
public static class PhoneNormaliser
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// The number in E.164 form (+447700900123) where it parses, else its digits (with a leading
    /// '+' when it had one); "" when there are no digits. <paramref name="defaultRegion"/> is the
    /// ISO 3166 region assumed for numbers written without a country code.
    /// </summary>
    public static string Normalise(string? raw, string defaultRegion = "GB")
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return "";
        }

        var digitCount = raw.Count(char.IsAsciiDigit);
        if (digitCount < 3)
        {
            return "";
        }

        try
        {
            var number = Util.Parse(raw, defaultRegion);
            return Util.Format(number, PhoneNumberFormat.E164);
        }
        catch (NumberParseException)
        {
            var digits = new string(raw.Where(char.IsAsciiDigit).ToArray());
            return raw.TrimStart().StartsWith('+') ? "+" + digits : digits;
        }
    }

    /// <summary>True when libphonenumber judges the number possible (length and shape); informational only.</summary>
    public static bool IsPossible(string? raw, string defaultRegion = "GB")
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return false;
        }

        try
        {
            return Util.IsPossibleNumber(Util.Parse(raw, defaultRegion));
        }
        catch (NumberParseException)
        {
            return false;
        }
    }
}
