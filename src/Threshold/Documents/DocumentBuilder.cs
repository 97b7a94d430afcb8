using System.Globalization;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Threshold.Documents;

/// <summary>
/// A small flowing-document builder on PDFsharp for evidence packs, letters and reports: headings,
/// paragraphs, label–value lists, tables that break across pages, and "Page n of m" with a footer
/// line on every page. Text wraps at word boundaries and, for long unbroken strings such as hashes
/// and addresses, inside the word. Untrusted text is drawn as text; nothing in it is interpreted.
/// <code>
/// var doc = new DocumentBuilder("Evidence pack", footer: "Office of Alex Morgan MP");
/// doc.Heading("Summary"); doc.Paragraph("…"); doc.Table(["Date", "From"], rows, [1, 2]);
/// byte[] pdf = doc.ToPdf();
/// </code>
/// </summary>
public sealed class DocumentBuilder
{
    private const double Margin = 50;
    private const double FooterHeight = 24;
    private static readonly XBrush Ink = XBrushes.Black;
    private static readonly XBrush Grey = new XSolidBrush(XColor.FromArgb(80, 80, 80));
    private static readonly XPen RulePen = new(XColor.FromArgb(177, 180, 182), 0.5);

    private readonly PdfDocument _document = new();
    private readonly string _footer;
    private PdfPage _page = null!;
    private XGraphics _gfx = null!;
    private double _y;

    public DocumentBuilder(string title, string footer = "", string? author = null)
    {
        EmbeddedFonts.Install();
        _footer = footer;
        _document.Info.Title = title;
        _document.Info.Author = author ?? "Threshold";
        _document.Info.Creator = "Threshold";
        NewPage();
    }

    public static XFont Font(double size, bool bold = false) => new(EmbeddedFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);

    private double Width => _page.Width.Point - (2 * Margin);

    private double Bottom => _page.Height.Point - Margin - FooterHeight;

    /// <summary>A heading: level 1 is the document's title, 2 a section, 3 a sub-section.</summary>
    public DocumentBuilder Heading(string text, int level = 2)
    {
        var size = level switch { 1 => 20, 2 => 15, _ => 12 };
        Space(level == 1 ? 0 : 10);
        KeepRoom(size * 3);
        Lines(text, Font(size, bold: true), Ink, Margin, Width, size * 1.3);
        Space(4);
        return this;
    }

    public DocumentBuilder Paragraph(string text, double size = 10, bool bold = false, bool grey = false)
    {
        foreach (var para in Clean(text).Split('\n'))
        {
            Lines(para, Font(size, bold), grey ? Grey : Ink, Margin, Width, size * 1.35);
        }
        Space(6);
        return this;
    }

    /// <summary>Label–value rows, the label in bold on the left.</summary>
    public DocumentBuilder KeyValues(IEnumerable<(string Label, string? Value)> rows, double size = 9)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var labelWidth = Width * 0.28;
        foreach (var (label, value) in rows)
        {
            var valueLines = Wrap(Clean(value ?? ""), Font(size), Width - labelWidth - 8);
            var labelLines = Wrap(Clean(label), Font(size, bold: true), labelWidth - 4);
            var lineHeight = size * 1.35;
            var count = Math.Max(1, Math.Max(valueLines.Count, labelLines.Count));
            for (var i = 0; i < count; i++)
            {
                KeepRoom(lineHeight);
                if (i < labelLines.Count)
                {
                    _gfx.DrawString(labelLines[i], Font(size, bold: true), Ink, new XPoint(Margin, _y + size), XStringFormats.Default);
                }
                if (i < valueLines.Count)
                {
                    _gfx.DrawString(valueLines[i], Font(size), Ink, new XPoint(Margin + labelWidth + 8, _y + size), XStringFormats.Default);
                }
                _y += lineHeight;
            }
            _y += 2;
        }
        Space(6);
        return this;
    }

    /// <summary>A table with a header row (repeated on each new page); column widths are relative weights.</summary>
    public DocumentBuilder Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows, IReadOnlyList<double>? weights = null, double size = 8.5)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var w = weights ?? [.. headers.Select(_ => 1.0)];
        var total = w.Sum();
        var widths = w.Select(x => Width * x / total).ToArray();
        var lineHeight = size * 1.3;
        void Row(IReadOnlyList<string?> cells, bool header)
        {
            var font = Font(size, bold: header);
            var wrapped = cells.Select((c, i) => Wrap(Clean(c ?? ""), font, widths[i] - 6)).ToList();
            var height = (Math.Max(1, wrapped.Max(l => l.Count)) * lineHeight) + 4;
            if (_y + height > Bottom)
            {
                NewPage();
                if (!header)
                {
                    Row(headers, header: true);
                }
            }
            var x = Margin;
            for (var i = 0; i < wrapped.Count; i++)
            {
                for (var line = 0; line < wrapped[i].Count; line++)
                {
                    _gfx.DrawString(wrapped[i][line], font, Ink, new XPoint(x + 3, _y + 2 + size + (line * lineHeight)), XStringFormats.Default);
                }
                x += widths[i];
            }
            _y += height;
            _gfx.DrawLine(header ? new XPen(XColors.Black, 0.8) : RulePen, Margin, _y, Margin + Width, _y);
        }
        KeepRoom(lineHeight * 3);
        Row(headers, header: true);
        foreach (var row in rows)
        {
            Row(row, header: false);
        }
        Space(8);
        return this;
    }

    public DocumentBuilder HorizontalRule()
    {
        KeepRoom(8);
        _gfx.DrawLine(RulePen, Margin, _y + 3, Margin + Width, _y + 3);
        Space(8);
        return this;
    }

    public DocumentBuilder PageBreak()
    {
        NewPage();
        return this;
    }

    /// <summary>The finished PDF, with "Page n of m" and the footer on every page.</summary>
    public byte[] ToPdf()
    {
        _gfx.Dispose();
        var count = _document.PageCount;
        for (var i = 0; i < count; i++)
        {
            var page = _document.Pages[i];
            using var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var y = page.Height.Point - Margin + 6;
            gfx.DrawLine(RulePen, Margin, y - 12, page.Width.Point - Margin, y - 12);
            gfx.DrawString(_footer, Font(8), Grey, new XPoint(Margin, y), XStringFormats.Default);
            var number = string.Create(CultureInfo.InvariantCulture, $"Page {i + 1} of {count}");
            gfx.DrawString(number, Font(8), Grey, new XPoint(page.Width.Point - Margin - gfx.MeasureString(number, Font(8)).Width, y), XStringFormats.Default);
        }
        using var stream = new MemoryStream();
        _document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private void NewPage()
    {
        _gfx?.Dispose();
        _page = _document.AddPage();
        _page.Size = PdfSharp.PageSize.A4;
        _gfx = XGraphics.FromPdfPage(_page);
        _y = Margin;
    }

    private void Space(double points) => _y += points;

    private void KeepRoom(double points)
    {
        if (_y + points > Bottom)
        {
            NewPage();
        }
    }

    private void Lines(string text, XFont font, XBrush brush, double x, double width, double lineHeight)
    {
        foreach (var line in Wrap(Clean(text), font, width))
        {
            KeepRoom(lineHeight);
            _gfx.DrawString(line, font, brush, new XPoint(x, _y + font.Size), XStringFormats.Default);
            _y += lineHeight;
        }
    }

    /// <summary>Breaks text into lines no wider than <paramref name="width"/>; a word wider than a line is broken inside.</summary>
    private List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var word in paragraph.Split(' '))
            {
                var candidate = line.Length == 0 ? word : $"{line} {word}";
                if (_gfx.MeasureString(candidate, font).Width <= width)
                {
                    line.Clear().Append(candidate);
                    continue;
                }
                if (line.Length > 0)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }
                var rest = word;
                while (rest.Length > 0 && _gfx.MeasureString(rest, font).Width > width)
                {
                    var n = rest.Length - 1;
                    while (n > 1 && _gfx.MeasureString(rest[..n], font).Width > width)
                    {
                        n--;
                    }
                    lines.Add(rest[..n]);
                    rest = rest[n..];
                }
                line.Append(rest);
            }
            lines.Add(line.ToString());
        }
        return lines;
    }

    /// <summary>Tabs to spaces, other control characters dropped, line endings to \n.</summary>
    private static string Clean(string text)
    {
        var s = new StringBuilder(text.Length);
        foreach (var c in text.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            if (c == '\t')
            {
                s.Append("    ");
            }
            else if (c == '\n' || !char.IsControl(c))
            {
                s.Append(c);
            }
        }
        return s.ToString();
    }
}
