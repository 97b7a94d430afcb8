using System.Reflection;
using PdfSharp.Fonts;

namespace Threshold.Documents;

/// <summary>
/// Fonts for every PDF Threshold makes: Liberation Sans 2.1.5 (SIL Open Font License 1.1, see
/// <c>Documents/Fonts/OFL.txt</c>), embedded in the assembly, so a document looks the same on any
/// machine and needs no installed fonts (PDFsharp on Linux finds none by itself). Any family asked
/// for is answered with Liberation Sans, regular or bold.
/// </summary>
public sealed class EmbeddedFonts : IFontResolver
{
    public const string Family = "Liberation Sans";
    private const string Regular = "LiberationSans-Regular";
    private const string Bold = "LiberationSans-Bold";
    private static readonly Lock Gate = new();
    private static bool _installed;

    /// <summary>Registers the resolver once per process (PDFsharp allows it to be set only before first use).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }
            if (GlobalFontSettings.FontResolver is not EmbeddedFonts)
            {
                GlobalFontSettings.FontResolver = new EmbeddedFonts();
            }
            _installed = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Threshold.Documents.Fonts.{faceName}.ttf");
        if (stream is null)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
