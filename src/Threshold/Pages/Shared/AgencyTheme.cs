using System.Globalization;
using System.Text.RegularExpressions;

namespace Threshold.Pages.Shared;

/// <summary>
/// The header colours for an agency. The agency colour arrives as a claim, so it is checked again
/// here (exactly <c>#rrggbb</c>) before it goes anywhere near a style attribute; the text colour
/// is chosen for contrast (WCAG AA, 4.5:1) so a pale agency colour still gets readable text.
/// </summary>
public sealed partial record AgencyTheme(string Colour, string Ink, string Shade, string Accent)
{
    /// <summary>Used when the agency has no colour of its own, and on pages for anyone.</summary>
    public static readonly AgencyTheme Neutral = new("#0b0c0c", "#ffffff", "#0b0c0c", "#0b0c0c");

    private const string White = "#ffffff";
    private const string Black = "#0b0c0c";
    private const string LightGrey = "#f3f2f1";

    [GeneratedRegex("^#[0-9a-fA-F]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex HexColour();

    public static bool IsHexColour(string? value) => value is not null && HexColour().IsMatch(value);

    /// <summary>The theme for a colour claim, or <see cref="Neutral"/> when it is missing or not <c>#rrggbb</c>.</summary>
    public static AgencyTheme For(string? colour)
    {
        if (!IsHexColour(colour))
        {
            return Neutral;
        }
        var rgb = Channels(colour!);
        var normalised = "#" + colour![1..].ToLowerInvariant();
        // White if it reads (4.5:1), else GOV.UK's near-black, else pure black: one of white and
        // pure black always reaches 4.5:1, whatever the colour.
        var ink = ContrastRatio(rgb, Channels(White)) >= 4.5 ? White
            : ContrastRatio(rgb, Channels(Black)) >= 4.5 ? Black
            : "#000000";
        var shade = ToHex(rgb.Select(c => c * 0.7).ToArray());
        // Marks the current page in the navigation bar: a non-text indicator needs 3:1 there.
        var accent = ContrastRatio(rgb, Channels(LightGrey)) >= 3 ? normalised : Black;
        return new AgencyTheme(normalised, ink, shade, accent);
    }

    /// <summary>The custom properties for the body's style attribute; only ever built from checked values.</summary>
    public string Style => $"--app-agency-colour: {Colour}; --app-agency-ink: {Ink}; --app-agency-shade: {Shade}; --app-agency-accent: {Accent};";

    public static double ContrastRatio(string a, string b) =>
        IsHexColour(a) && IsHexColour(b) ? ContrastRatio(Channels(a), Channels(b)) : throw new ArgumentException("Colours must be #rrggbb.");

    private static double ContrastRatio(double[] a, double[] b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static double[] Channels(string hex) =>
    [
        int.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        int.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        int.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
    ];

    private static double Luminance(double[] rgb)
    {
        static double Linear(double c)
        {
            var s = c / 255.0;
            return s <= 0.04045 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
        }
        return (0.2126 * Linear(rgb[0])) + (0.7152 * Linear(rgb[1])) + (0.0722 * Linear(rgb[2]));
    }

    private static string ToHex(double[] rgb) =>
        "#" + string.Concat(rgb.Select(c => ((int)Math.Round(Math.Clamp(c, 0, 255))).ToString("x2", CultureInfo.InvariantCulture)));
}
