namespace Threshold.Matching.Normalisation;

/// <summary>Normalises email addresses for matching (not for sending).</summary>
public static class EmailNormaliser
{
    /// <summary>
    /// Lower-cases the address, removes a plus-address tag (alex+news@ → alex@), and for Gmail,
    /// where dots in the local part are ignored by the provider, removes the dots and folds
    /// googlemail.com into gmail.com. Returns "" for text that is not an address.
    /// </summary>
    public static string Normalise(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return "";
        }

        var s = raw.Trim().Trim('<', '>', '"').ToLowerInvariant();
        if (s.StartsWith("mailto:", StringComparison.Ordinal))
        {
            s = s[7..];
        }

        var at = s.LastIndexOf('@');
        if (at <= 0 || at == s.Length - 1)
        {
            return "";
        }

        var local = s[..at];
        var domain = s[(at + 1)..].TrimEnd('.');
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0)
        {
            local = local[..plus];
        }

        if (domain is "gmail.com" or "googlemail.com")
        {
            local = local.Replace(".", "", StringComparison.Ordinal);
            domain = "gmail.com";
        }

        return local + "@" + domain;
    }

    /// <summary>The part before '@' of a normalised address.</summary>
    public static string LocalPart(string normalised)
    {
        var at = normalised.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? normalised : normalised[..at];
    }
}
