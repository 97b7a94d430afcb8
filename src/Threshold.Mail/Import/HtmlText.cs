using System.Text;
using MimeKit.Text;

namespace Threshold.Mail.Import;

/// <summary>
/// Turns an e-mail's HTML into plain text for reading and searching. The HTML is never rendered and
/// nothing it points to is fetched: scripts, styles and embedded objects are dropped with their
/// content, images become a note (a remote image is how tracking pixels report that a message was
/// opened), and links keep their address as text so the evidence is not lost.
/// </summary>
public static class HtmlText
{
    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "head", "noscript", "template", "object", "embed", "applet", "iframe", "frame", "svg" };
    private static readonly HashSet<string> Breaks = new(StringComparer.OrdinalIgnoreCase) { "br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "hr", "section", "article" };

    public sealed record Result(string Text, IReadOnlyList<string> Notes);

    public static Result Convert(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = new StringBuilder(html.Length / 2);
        int scripts = 0, remoteImages = 0, embedded = 0, forms = 0, handlers = 0;
        var droppedDepth = 0;
        string? pendingHref = null;
        var tokenizer = new HtmlTokenizer(new StringReader(html)) { DecodeCharacterReferences = true };
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag:
                    var name = tag.Name;
                    if (Dropped.Contains(name))
                    {
                        if (!tag.IsEndTag && !tag.IsEmptyElement)
                        {
                            droppedDepth++;
                            if (name.Equals("script", StringComparison.OrdinalIgnoreCase))
                            {
                                scripts++;
                            }
                            else if (!name.Equals("style", StringComparison.OrdinalIgnoreCase) && !name.Equals("head", StringComparison.OrdinalIgnoreCase))
                            {
                                embedded++;
                            }
                        }
                        else if (tag.IsEndTag && droppedDepth > 0)
                        {
                            droppedDepth--;
                        }
                        continue;
                    }
                    if (!tag.IsEndTag)
                    {
                        handlers += tag.Attributes.Count(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
                    }
                    if (droppedDepth > 0)
                    {
                        continue;
                    }
                    if (name.Equals("img", StringComparison.OrdinalIgnoreCase) && !tag.IsEndTag)
                    {
                        var src = tag.Attributes.FirstOrDefault(a => a.Name.Equals("src", StringComparison.OrdinalIgnoreCase))?.Value ?? "";
                        if (src.StartsWith("http", StringComparison.OrdinalIgnoreCase) || src.StartsWith("//", StringComparison.Ordinal))
                        {
                            remoteImages++;
                        }
                        var alt = tag.Attributes.FirstOrDefault(a => a.Name.Equals("alt", StringComparison.OrdinalIgnoreCase))?.Value;
                        if (!string.IsNullOrWhiteSpace(alt))
                        {
                            text.Append(" [image: ").Append(alt.Trim()).Append("] ");
                        }
                    }
                    else if (name.Equals("form", StringComparison.OrdinalIgnoreCase) && !tag.IsEndTag)
                    {
                        forms++;
                    }
                    else if (name.Equals("a", StringComparison.OrdinalIgnoreCase))
                    {
                        if (!tag.IsEndTag)
                        {
                            pendingHref = tag.Attributes.FirstOrDefault(a => a.Name.Equals("href", StringComparison.OrdinalIgnoreCase))?.Value;
                        }
                        else if (pendingHref is { Length: > 0 } href && (href.StartsWith("http", StringComparison.OrdinalIgnoreCase) || href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)))
                        {
                            text.Append(" [").Append(href).Append(']');
                            pendingHref = null;
                        }
                    }
                    if (Breaks.Contains(name))
                    {
                        text.Append('\n');
                    }
                    break;
                case HtmlDataToken data when droppedDepth == 0:
                    text.Append(data.Data);
                    break;
            }
        }
        var notes = new List<string>();
        Note(notes, scripts, "script removed", "scripts removed");
        Note(notes, handlers, "script handler removed", "script handlers removed");
        Note(notes, remoteImages, "remote image not fetched (a tracking pixel reports when a message is opened)", "remote images not fetched (a tracking pixel reports when a message is opened)");
        Note(notes, embedded, "embedded frame or object removed", "embedded frames or objects removed");
        Note(notes, forms, "form removed", "forms removed");
        return new Result(Tidy(text.ToString()), notes);
    }

    private static void Note(List<string> notes, int count, string one, string many)
    {
        if (count > 0)
        {
            notes.Add(count == 1 ? $"1 {one}" : $"{count} {many}");
        }
    }

    /// <summary>
    /// Collapses what markup leaves: in each line, runs of spaces, tabs and no-break spaces become one space and
    /// none is kept at either end; lines left empty are dropped, and where any stood between two lines of text
    /// one blank line remains. One pass, no string per line or word.
    /// </summary>
    public static string Tidy(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new StringBuilder(text.Length);
        var blank = 0;          // empty lines since the last line of text
        var inText = false;     // the current line has text
        var owed = false;       // a space is owed before the next character of this line
        foreach (var c in text)
        {
            switch (c)
            {
                case '\r':
                    continue;
                case '\n':
                    if (!inText)
                    {
                        blank++;
                    }
                    inText = false;
                    owed = false;
                    continue;
                case ' ' or '\t' or '\u00a0':
                    owed = inText;
                    continue;
            }
            if (!inText)
            {
                if (result.Length > 0)
                {
                    result.Append(blank > 0 ? "\n\n" : "\n");
                }
                blank = 0;
                inText = true;
            }
            else if (owed)
            {
                result.Append(' ');
            }
            owed = false;
            result.Append(c);
        }
        return result.ToString();
    }
}
