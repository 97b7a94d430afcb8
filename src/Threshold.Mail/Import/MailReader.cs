using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using Threshold.Domain.Harassment;

namespace Threshold.Mail.Import;

/// <summary>Stores a stream in the blob store and says its SHA-256 and size.</summary>
public delegate Task<StoredBlob> BlobWriter(Stream content, CancellationToken ct);

public sealed record StoredBlob(string Sha256, long Size);

/// <summary>What the office's own mailboxes are, so that a forward is never recorded as from the caseworker who forwarded it.</summary>
public sealed record MailReadOptions(Func<string, bool> IsOwnAddress)
{
    public static MailReadOptions NoOwnAddresses { get; } = new(_ => false);
}

/// <summary>An e-mail read for the log: who it is from (after unwrapping a forward), what it says, and its evidence.</summary>
public sealed record ReadMail(
    ContactSender Sender,
    DateTimeOffset? SentAt,
    string? Subject,
    string Body,
    MessageEvidence Evidence,
    ForwardingNote? Forwarded,
    string? MessageId);

/// <summary>Either a read message or the plain reason it was rejected.</summary>
public sealed record ReadOutcome(ReadMail? Mail, string? Rejection)
{
    public static ReadOutcome Rejected(string reason) => new(null, reason);
}

/// <summary>
/// Reads one parsed e-mail into the facts the harassment log keeps. Forwards are unwrapped: when
/// the office forwarded a message (from one of its own addresses, or with a "Fw:" subject), the
/// contact is from the original sender — from an attached <c>message/rfc822</c> or from an inline
/// forwarded block — and the forwarder is only noted. A forward from the office whose original
/// sender cannot be found is rejected rather than logged as from the caseworker.
/// </summary>
public static partial class MailReader
{
    /// <summary>Body text kept in the event; the whole message is always in the blob store.</summary>
    public const int MaxBodyChars = 100_000;

    private const int MaxForwardDepth = 3;

    public static async Task<ReadOutcome> ReadAsync(MimeMessage outer, StoredBlob raw, string sourceName, MailReadOptions options, BlobWriter blobs, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(outer);
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var outerFrom = SenderMailbox(outer);
        var content = outer;
        ForwardingNote? forwarded = null;
        InlineForward.Original? inline = null;
        MessagePart? unwrappedPart = null;
        string? originalSha = null;

        for (var depth = 0; depth < MaxForwardDepth; depth++)
        {
            var from = SenderMailbox(content);
            var own = from is not null && options.IsOwnAddress(from.Address);
            if (!own && !IsForwardSubject(content.Subject) && !(depth == 0 && from is null))
            {
                break;
            }
            var body = Bodies(content);
            var attached = content == outer || unwrappedPart is not null ? FirstAttachedMessage(content) : null;
            if (attached?.Message is { } original)
            {
                forwarded ??= Note(from, content.Date, "attached message");
                unwrappedPart = attached;
                originalSha = (await StoreMessageAsync(original, blobs, ct)).Sha256;
                content = original;
                continue;
            }
            if (InlineForward.Find(body.Text ?? (Decode(body.HtmlPart) is { } forwardedHtml ? HtmlText.Convert(forwardedHtml).Text : null)) is { } block)
            {
                forwarded ??= Note(from, content.Date, $"inline forwarded block ({block.Client})");
                inline = block;
                // An inline block nested in the block (forwarded twice) is read by the loop below.
                while (block.FromAddress is { } address && options.IsOwnAddress(address) && InlineForward.Find(block.Body) is { } deeper)
                {
                    block = deeper;
                    inline = deeper;
                }
                break;
            }
            if (own)
            {
                return ReadOutcome.Rejected(
                    $"sent or forwarded by the office's own address {from!.Address}, and the original sender could not be found in it; forward the message as an attachment instead");
            }
            break;
        }

        if (inline is not null)
        {
            if (inline.FromAddress is { } a && options.IsOwnAddress(a))
            {
                return ReadOutcome.Rejected($"the forwarded block is from the office's own address {a}; the original sender could not be found");
            }
            if (inline.FromAddress is null && inline.FromName is null)
            {
                return ReadOutcome.Rejected("a forwarded block was found but it names no sender");
            }
            problems.Add($"Forwarded inline ({inline.Client}): the original's routing headers (Received, Return-Path, Message-ID) were not forwarded; ask for it as an attachment for a full record.");
            var outerBody = Bodies(outer);
            var evidence = Evidence(outer, raw, sourceName, problems, originalSha: null, extraFrom: Format(inline.FromName, inline.FromAddress), extraDate: inline.DateText, extraTo: inline.To);
            var attachments = await AttachmentsAsync(outer, outerBody, exclude: null, blobs, ct);
            var bodyText = Trim(TextClean.Clean(inline.Body), out _);
            return new ReadOutcome(new ReadMail(
                new ContactSender(TextClean.OneLineOrNull(inline.FromName), inline.FromAddress, SignaturePhone(inline.Body)),
                inline.Date,
                TextClean.OneLineOrNull(inline.Subject) ?? TextClean.OneLineOrNull(StripForwardPrefix(outer.Subject)),
                bodyText,
                evidence with { Attachments = attachments, Fingerprint = Fingerprint(null, inline.FromAddress, inline.DateText, inline.Subject, inline.Body) },
                forwarded,
                null), null);
        }

        var sender = SenderMailbox(content);
        if (sender is null)
        {
            problems.Add("The message names no sender (no From, Sender, Reply-To or Return-Path address).");
        }
        var bodies = Bodies(content);
        // An HTML body is read here only when there is no text body: then it is the body, and what its markup tried
        // to do is noted. Beside a text body it is an alternative of the same words, kept in the raw message and shown
        // as text on request (HtmlAlternative); reducing it at import was a fifth of the reading and stored it twice.
        var html = bodies.Text is null ? Decode(bodies.HtmlPart) : null;
        HtmlText.Result? converted = html is null ? null : HtmlText.Convert(html);
        var text = bodies.Text ?? converted?.Text ?? "";
        if (bodies.Text is null && html is null)
        {
            problems.Add("No readable text body.");
        }
        var cleanedText = Trim(TextClean.Clean(text), out var cut);
        if (cut)
        {
            problems.Add($"The text body is longer than {MaxBodyChars:N0} characters; the log keeps the start, the whole message is in the evidence file.");
        }
        var messageEvidence = Evidence(content, raw, sourceName, problems, originalSha, null, null, null) with
        {
            HtmlNotes = converted?.Notes ?? [],
        };
        var all = new List<AttachmentEvidence>();
        if (content != outer)
        {
            all.AddRange(await AttachmentsAsync(outer, Bodies(outer), unwrappedPart, blobs, ct));
        }
        all.AddRange(await AttachmentsAsync(content, bodies, null, blobs, ct));
        var messageId = TextClean.OneLineOrNull(content.MessageId);
        return new ReadOutcome(new ReadMail(
            new ContactSender(TextClean.OneLineOrNull(sender?.Name), TextClean.OneLineOrNull(sender?.Address), SignaturePhone(text)),
            ValidDate(content.Date) ?? FirstReceivedDate(content),
            TextClean.OneLineOrNull(content.Subject),
            cleanedText,
            messageEvidence with { Attachments = all, Fingerprint = Fingerprint(messageId, sender?.Address, content.Headers[HeaderId.Date], content.Subject, text) },
            forwarded,
            messageId), null);
    }

    /// <summary>
    /// The HTML alternative of a message that also has a text body, reduced to text with what its markup tried to do
    /// (never rendered, nothing fetched); null when the message has no HTML beside its text. Read from the raw
    /// message (the attached original, for a forward) when a caseworker asks: import keeps only the text body.
    /// </summary>
    public static HtmlText.Result? HtmlAlternative(Stream raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        try
        {
            // Persistent where the stream can seek (a blob file or pack slice): a large attachment is not loaded to show the HTML.
            using var message = new MimeParser(MailSource.ParserOptions, raw, MimeFormat.Entity, persistent: raw.CanSeek).ParseMessage();
            var bodies = Bodies(message);
            if (bodies.Text is null || Decode(bodies.HtmlPart) is not { } html)
            {
                return null;
            }
            var converted = HtmlText.Convert(html);
            return converted with { Text = Trim(converted.Text, out _) };
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static ForwardingNote Note(MailboxAddress? from, DateTimeOffset date, string how) =>
        new(from?.Address ?? "(unknown)", TextClean.OneLineOrNull(from?.Name), ValidDate(date), how);

    /// <summary>The evidential headers of <paramref name="m"/>, or — for an inline forward — what the forwarded block showed (extra*).</summary>
    private static MessageEvidence Evidence(
        MimeMessage m, StoredBlob raw, string sourceName, List<string> problems, string? originalSha, string? extraFrom, string? extraDate, string? extraTo)
    {
        var headers = m.Headers;
        // Only the headers the log shows are decoded to look: decoding every DKIM and ARC header cost more than the rest.
        if (headers.Any(h => ShownHeaders.Contains(h.Id) && h.Value.Contains('\uFFFD', StringComparison.Ordinal)))
        {
            problems.Add("Some header characters were in an unknown or undeclared character set and are shown as \uFFFD.");
        }
        if (extraFrom is null && headers[HeaderId.Date] is { } dateText && ValidDate(m.Date) is null)
        {
            problems.Add($"The Date header '{TextClean.OneLine(dateText)}' could not be read.");
        }
        return new MessageEvidence(
            raw.Sha256,
            raw.Size,
            extraFrom is null ? TextClean.OneLineOrNull(m.MessageId) : null,
            extraFrom ?? TextClean.OneLineOrNull(headers[HeaderId.From]),
            extraFrom is null ? TextClean.OneLineOrNull(headers[HeaderId.ReplyTo]) : null,
            extraFrom is null ? TextClean.OneLineOrNull(headers[HeaderId.ReturnPath]) : null,
            extraTo is null ? TextClean.OneLineOrNull(headers[HeaderId.To]) : TextClean.OneLineOrNull(extraTo),
            extraDate is null ? TextClean.OneLineOrNull(headers[HeaderId.Date]) : TextClean.OneLineOrNull(extraDate),
            extraFrom is null ? [.. headers.Where(h => h.Id == HeaderId.Received).Select(h => TextClean.OneLine(h.Value))] : [],
            null,
            [],
            [],
            problems,
            originalSha,
            sourceName);
    }

    private static readonly HashSet<HeaderId> ShownHeaders =
        [HeaderId.From, HeaderId.Sender, HeaderId.ReplyTo, HeaderId.ReturnPath, HeaderId.To, HeaderId.Cc, HeaderId.Date, HeaderId.Subject, HeaderId.MessageId, HeaderId.Received];

    /// <summary>The first mailbox among From, Sender, Reply-To; Return-Path as a last resort.</summary>
    private static MailboxAddress? SenderMailbox(MimeMessage m)
    {
        var mailbox = m.From.Mailboxes.FirstOrDefault() ?? m.Sender ?? m.ReplyTo.Mailboxes.FirstOrDefault();
        if (mailbox is null && m.Headers[HeaderId.ReturnPath] is { } rp && MailboxAddress.TryParse(rp, out var parsed))
        {
            mailbox = parsed;
        }
        return mailbox is { Address.Length: > 0 } ? mailbox : null;
    }

    private static bool IsForwardSubject(string? subject) =>
        subject is not null && ForwardPrefix().IsMatch(subject);

    private static string? StripForwardPrefix(string? subject) =>
        subject is null ? null : ForwardPrefix().Replace(subject, "");

    /// <summary>Walks the MIME tree without recursion (the parser already caps its depth) and without entering attached messages.</summary>
    private static IEnumerable<MimeEntity> Parts(MimeMessage m)
    {
        if (m.Body is null)
        {
            yield break;
        }
        var stack = new Stack<MimeEntity>();
        stack.Push(m.Body);
        while (stack.Count > 0)
        {
            var entity = stack.Pop();
            yield return entity;
            if (entity is Multipart multipart)
            {
                for (var i = multipart.Count - 1; i >= 0; i--)
                {
                    stack.Push(multipart[i]);
                }
            }
        }
    }

    private static MessagePart? FirstAttachedMessage(MimeMessage m) =>
        Parts(m).OfType<MessagePart>().FirstOrDefault(p => p.Message is not null);

    /// <summary>The first text and HTML body parts (not attachments); the text decoded, the HTML left for whoever needs it.</summary>
    private static (string? Text, TextPart? TextPart, TextPart? HtmlPart) Bodies(MimeMessage m)
    {
        TextPart? plain = null, html = null;
        foreach (var part in Parts(m).OfType<TextPart>())
        {
            if (part.IsAttachment)
            {
                continue;
            }
            if (plain is null && part.IsPlain)
            {
                plain = part;
            }
            else if (html is null && part.IsHtml)
            {
                html = part;
            }
        }
        return (Decode(plain), plain, html);
    }

    private static string? Decode(TextPart? part)
    {
        if (part is null)
        {
            return null;
        }
        try
        {
            return part.Text;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or FormatException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static async Task<IReadOnlyList<AttachmentEvidence>> AttachmentsAsync(
        MimeMessage m, (string? Text, TextPart? TextPart, TextPart? HtmlPart) bodies, MessagePart? exclude, BlobWriter blobs, CancellationToken ct)
    {
        var list = new List<AttachmentEvidence>();
        foreach (var entity in Parts(m))
        {
            if (entity is Multipart || ReferenceEquals(entity, bodies.TextPart) || ReferenceEquals(entity, bodies.HtmlPart) || ReferenceEquals(entity, exclude))
            {
                continue;
            }
            var type = entity.ContentType.MimeType.ToLowerInvariant();
            var name = TextClean.OneLineOrNull(entity.ContentDisposition?.FileName ?? entity.ContentType.Name);
            StoredBlob blob;
            string? note = null;
            if (entity is MessagePart { Message: { } attached } messagePart)
            {
                blob = await StoreMessageAsync(attached, blobs, ct);
                name ??= TextClean.OneLineOrNull(attached.Subject) is { } s ? $"{s}.eml" : "attached message.eml";
                note = ReferenceEquals(messagePart, exclude) ? null : "attached e-mail";
            }
            else if (entity is MimePart { Content: { } content })
            {
                try
                {
                    await using var decoded = content.Open();
                    blob = await blobs(decoded, ct);
                }
                catch (Exception e) when (e is FormatException or InvalidDataException)
                {
                    var encoded = content.Stream ?? Stream.Null;
                    encoded.Position = 0;
                    blob = await blobs(encoded, ct);
                    note = "could not be decoded; kept as received";
                }
                if (IsArchive(type, name))
                {
                    note = "archive: never unpacked";
                }
            }
            else
            {
                continue;
            }
            list.Add(new AttachmentEvidence(name ?? "(unnamed)", type, blob.Size, blob.Sha256, note));
        }
        return list;
    }

    private static async Task<StoredBlob> StoreMessageAsync(MimeMessage message, BlobWriter blobs, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await message.WriteToAsync(buffer, ct);
        buffer.Position = 0;
        return await blobs(buffer, ct);
    }

    private static bool IsArchive(string type, string? name) =>
        type is "application/zip" or "application/x-zip-compressed" or "application/x-7z-compressed" or "application/x-rar-compressed"
            or "application/vnd.rar" or "application/gzip" or "application/x-gzip" or "application/x-tar" or "application/x-bzip2"
        || (name is not null && ArchiveName().IsMatch(name));

    private static DateTimeOffset? ValidDate(DateTimeOffset date) =>
        date.Year is > 1980 and < 2200 ? date : null;

    private static DateTimeOffset? FirstReceivedDate(MimeMessage m)
    {
        foreach (var h in m.Headers.Where(h => h.Id == HeaderId.Received))
        {
            var semi = h.Value.LastIndexOf(';');
            if (semi >= 0 && MimeKit.Utils.DateUtils.TryParse(h.Value[(semi + 1)..].Trim(), out var date) && ValidDate(date) is { } valid)
            {
                return valid;
            }
        }
        return null;
    }

    private static string Trim(string text, out bool truncated)
    {
        truncated = text.Length > MaxBodyChars;
        return truncated ? text[..MaxBodyChars] : text;
    }

    private static string? Format(string? name, string? address) =>
        address is null ? name : name is null ? address : $"{name} <{address}>";

    /// <summary>A UK phone number in the last lines of the body, where signatures are: the last twelve non-empty lines that are not quoted, latest first.</summary>
    public static string? SignaturePhone(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }
        // Read lines from the end rather than splitting the whole body.
        var end = body.Length;
        var seen = 0;
        while (end >= 0 && seen < 12)
        {
            var start = end == 0 ? -1 : body.LastIndexOf('\n', end - 1);
            var line = body.AsSpan(start + 1, end - start - 1).Trim();
            end = start;
            if (line.Length == 0 || line[0] == '>')
            {
                continue;
            }
            seen++;
            foreach (var m in PhoneNumber().EnumerateMatches(line))
            {
                return line.Slice(m.Index, m.Length).Trim().ToString();
            }
        }
        return null;
    }

    /// <summary>
    /// Identifies the same message delivered twice with different transport headers: the SHA-256 of
    /// the Message-ID, sender, date, subject and body, each made one line, joined by U+001F.
    /// </summary>
    internal static string Fingerprint(string? messageId, string? from, string? date, string? subject, string? body)
    {
        // One hasher per thread, reset by each use: making one a message cost a native context and a finalizable handle.
        var hash = t_fingerprintHash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            var head = string.Join('\u001f', messageId ?? "", from?.ToLowerInvariant() ?? "", TextClean.OneLine(date), TextClean.OneLine(subject), "");
            hash.AppendData(Encoding.UTF8.GetBytes(head));
            // The body is the long part: hashed as it is made one line, never built as a string.
            TextClean.AppendOneLine(hash, body);
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        catch
        {
            // Never leave part of one message's input in the hasher the next one uses.
            t_fingerprintHash = null;
            hash.Dispose();
            throw;
        }
    }

    [ThreadStatic]
    private static IncrementalHash? t_fingerprintHash;

    // Fw/Fwd (English), TR (French), WG (German), RV (Spanish), Doorst (Dutch).
    [GeneratedRegex(@"^\s*((fwd?|tr|wg|rv|doorst)\s*:\s*)+", RegexOptions.IgnoreCase)]
    private static partial Regex ForwardPrefix();

    [GeneratedRegex(@"\.(zip|7z|rar|gz|tgz|tar|bz2|xz|zipx|cab|iso)$", RegexOptions.IgnoreCase)]
    private static partial Regex ArchiveName();

    [GeneratedRegex(@"(?<![\d+])(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s\-]?){9,10}(?!\d)")]
    private static partial Regex PhoneNumber();
}
