using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Threshold.Documents;
using Threshold.Domain;
using Threshold.Domain.Harassment;
using Threshold.Harassment.Correspondents;
using Threshold.Harassment.Intake;
using Threshold.Storage;
using Threshold.Storage.Blobs;
using Threshold.Storage.Events;
using Threshold.Storage.Harassment;

namespace Threshold.Harassment.Evidence;

/// <summary>A finished pack: the PDF, the ZIP of original messages, and the manifest whose hash is on the ledger.</summary>
public sealed record EvidencePack(string PackId, string CorrespondentId, string CorrespondentName, int ContactCount, byte[] Pdf, byte[] Zip, string Manifest, string ManifestSha256, string PdfSha256, string ZipSha256)
{
    public string FileStem => $"evidence-{CorrespondentId}-{DateTime.UtcNow:yyyyMMdd}";
}

/// <summary>
/// Builds the evidence pack for a correspondent and date range (issue 4, step 5): a PDF with a
/// summary table, then each message with its headers, evidence hash and label reasons; a ZIP with
/// the original messages exactly as received (their bytes from the blob store, each named by its
/// hash's start) and the manifest. The manifest lists every item and its SHA-256; its own SHA-256
/// is recorded in the ledger (<see cref="EvidencePackGenerated"/>), so anyone holding the pack can
/// check nothing in it changed since.
/// </summary>
public sealed class EvidencePackBuilder(ThresholdStore store, HarassmentLog log, HarassmentQueries queries, BlobStore blobs, TimeProvider clock)
{
    public async Task<EvidencePack> BuildAsync(string office, string officeName, string correspondentId, DateOnly? from, DateOnly? to, string actor, CancellationToken ct = default)
    {
        var correspondent = await queries.FindCorrespondentAsync(office, correspondentId, ct)
            ?? throw new DomainRuleException("CorrespondentMustExist", $"There is no correspondent '{correspondentId}' in this office's log.");
        if (from is { } f && to is { } t && t < f)
        {
            throw new DomainRuleException("DateRangeMustRunForwards", "The end date is before the start date.");
        }
        var filter = new ContactFilter(CorrespondentId: correspondentId, Limit: int.MaxValue,
            From: from is { } a ? new DateTimeOffset(a.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            To: to is { } b ? new DateTimeOffset(b.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null);
        var contacts = (await queries.ContactsAsync(office, filter, ct)).OrderBy(c => c.ReceivedAt, StringComparer.Ordinal).ToList();
        if (contacts.Count == 0)
        {
            throw new DomainRuleException("EvidencePackNeedsContacts", "There are no contacts from this correspondent in those dates.");
        }
        var labels = (await queries.LabelsAsync([.. contacts.Select(c => c.ContactId)], ct)).ToLookup(l => l.ContactId);
        var logged = new Dictionary<string, ContactLogged>(StringComparer.Ordinal);
        foreach (var c in contacts)
        {
            if (await log.LoggedAsync(c, ct) is { } e)
            {
                logged[c.ContactId] = e;
            }
        }
        var now = clock.GetUtcNow();
        var packId = $"pack-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        var range = $"{(from is { } ff ? ff.ToString("d MMMM yyyy", Uk) : "the first contact")} to {(to is { } tt ? tt.ToString("d MMMM yyyy", Uk) : "the latest")}";

        // The ZIP: the original messages as received, a screenshot where one was uploaded, and the manifest.
        var manifest = new StringBuilder();
        manifest.AppendLine(CultureInfo.InvariantCulture, $"Threshold evidence pack {packId}");
        manifest.AppendLine(CultureInfo.InvariantCulture, $"Office: {officeName} ({office})");
        manifest.AppendLine(CultureInfo.InvariantCulture, $"Correspondent: {correspondent.DisplayName} ({correspondentId})");
        manifest.AppendLine(CultureInfo.InvariantCulture, $"Contacts: {contacts.Count}, {range}");
        manifest.AppendLine(CultureInfo.InvariantCulture, $"Made: {now:yyyy-MM-ddTHH:mm:ssZ} by {actor}");
        manifest.AppendLine("Each line: number, contact id, received (UTC), file in this ZIP, SHA-256 of the file (the evidence hash taken at import).");
        using var zipBuffer = new MemoryStream();
        using (var zip = new ZipArchive(zipBuffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < contacts.Count; i++)
            {
                var c = contacts[i];
                var sha = c.RawSha256 ?? logged.GetValueOrDefault(c.ContactId)?.ScreenshotSha256;
                var file = c.RawSha256 is not null ? $"messages/{i + 1:000}-{c.RawSha256[..12]}.eml" : sha is not null ? $"screenshots/{i + 1:000}-{sha[..12]}.png" : null;
                if (file is not null && sha is not null && blobs.OpenRead(sha) is { } blob)
                {
                    await using (blob)
                    {
                        var entry = zip.CreateEntry(file, CompressionLevel.Optimal);
                        entry.LastWriteTime = c.ReceivedAtTime;
                        await using var target = await entry.OpenAsync(ct);
                        await blob.CopyToAsync(target, ct);
                    }
                }
                manifest.AppendLine(CultureInfo.InvariantCulture, $"{i + 1}\t{c.ContactId}\t{c.ReceivedAt}\t{file ?? "(entered by hand: no file)"}\t{sha ?? "-"}");
            }
            var manifestEntry = zip.CreateEntry("manifest.txt", CompressionLevel.Optimal);
            await using var writer = new StreamWriter(await manifestEntry.OpenAsync(ct), new UTF8Encoding(false));
            await writer.WriteAsync(manifest.ToString());
        }
        var manifestText = manifest.ToString();
        var manifestSha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifestText)));

        var pdf = Pdf(officeName, correspondent, contacts, labels, logged, range, packId, manifestSha, now, actor);
        var zipBytes = zipBuffer.ToArray();
        var pdfRef = blobs.Put(pdf);
        var zipRef = blobs.Put(zipBytes);
        var stream = CaseworkerDecisions.StreamOf(correspondentId);
        var (version, _) = await store.Ledger.GetStreamAsync(stream, ct);
        await store.Ledger.AppendAsync(office, stream, version,
            [EventSerializer.ToNew(new EvidencePackGenerated(packId, office, correspondentId, from, to, contacts.Count, manifestSha, pdfRef.Sha256, zipRef.Sha256))], actor, ct);
        return new EvidencePack(packId, correspondentId, correspondent.DisplayName, contacts.Count, pdf, zipBytes, manifestText, manifestSha, pdfRef.Sha256, zipRef.Sha256);
    }

    private static readonly CultureInfo Uk = CultureInfo.GetCultureInfo("en-GB");

    private static string When(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", Uk);

    private static byte[] Pdf(
        string officeName, CorrespondentRow correspondent, List<ContactRow> contacts, ILookup<string, LabelRow> labels,
        Dictionary<string, ContactLogged> logged, string range, string packId, string manifestSha, DateTimeOffset now, string actor)
    {
        var doc = new DocumentBuilder($"Evidence pack: {correspondent.DisplayName}", footer: $"{officeName} — evidence pack {packId} — manifest SHA-256 {manifestSha}", author: officeName);
        doc.Heading("Evidence pack", level: 1)
            .Paragraph($"Contacts from {correspondent.DisplayName} to {officeName}, {range}.", size: 11)
            .KeyValues([
                ("Correspondent", $"{correspondent.DisplayName} ({correspondent.CorrespondentId})"),
                ("Addresses", string.Join(", ", correspondent.AddressList)),
                ("Contacts", contacts.Count.ToString(CultureInfo.InvariantCulture)),
                ("Made", $"{now.UtcDateTime.ToString("d MMMM yyyy HH:mm 'UTC'", Uk)} by {actor}"),
                ("Pack", packId),
                ("Manifest SHA-256", manifestSha),
            ])
            .Paragraph("Each message's evidence hash is the SHA-256 of its raw bytes, taken when it was imported; the original files are in the accompanying ZIP, and the manifest lists each file with its hash. The manifest's own SHA-256, above, is recorded in Threshold's tamper-evident ledger.", size: 9, grey: true)
            .Heading("Summary")
            .Table(["#", "Received", "Channel", "Subject", "Labels"],
                contacts.Select((c, i) => (IReadOnlyList<string?>)[
                    (i + 1).ToString(CultureInfo.InvariantCulture), When(c.ReceivedAt), ContactChannel.Title(c.Channel), c.Subject ?? "",
                    string.Join(", ", c.LabelList.Select(TriageLabels.Title)) + (c.FlagList.Count > 0 ? $" — {string.Join("; ", c.FlagList)}" : "")]),
                [0.4, 1.6, 1.1, 3, 2.4]);
        for (var i = 0; i < contacts.Count; i++)
        {
            var c = contacts[i];
            var e = logged.GetValueOrDefault(c.ContactId);
            var m = e?.Message;
            doc.PageBreak().Heading($"{i + 1}. {(string.IsNullOrWhiteSpace(c.Subject) ? ContactChannel.Title(c.Channel) : c.Subject)}");
            var rows = new List<(string, string?)>
            {
                ("Contact", c.ContactId),
                ("Received", When(c.ReceivedAt)),
                ("Channel", ContactChannel.Title(c.Channel)),
                ("From", m?.From ?? string.Join(" ", new[] { c.SenderName, c.SenderEmail, c.SenderPhone }.Where(x => x is not null))),
            };
            if (e?.Forwarded is { } fw)
            {
                rows.Add(("Forwarded by", $"{fw.ForwarderAddress} ({fw.How})"));
            }
            if (m is not null)
            {
                rows.AddRange([
                    ("Reply-To", m.ReplyTo), ("Return-Path", m.ReturnPath), ("To", m.To), ("Date", m.Date), ("Message-ID", m.MessageId),
                    ("Received", m.Received.Count == 0 ? "(none)" : string.Join("\n", m.Received)),
                    ("Evidence hash (SHA-256)", m.RawSha256),
                    ("Size", $"{m.RawSize:N0} bytes"),
                ]);
                if (m.OriginalSha256 is { } original)
                {
                    rows.Add(("Attached original (SHA-256)", original));
                }
                foreach (var a in m.Attachments)
                {
                    rows.Add(("Attachment", $"{a.Name} ({a.ContentType}, {a.Size:N0} bytes) SHA-256 {a.Sha256}{(a.Note is null ? "" : $" — {a.Note}")}"));
                }
            }
            else if (e?.ScreenshotSha256 is { } shot)
            {
                rows.Add(("Screenshot (SHA-256)", shot));
            }
            rows.Add(("Logged", $"{When(c.LoggedAt)} by {c.LoggedBy}"));
            doc.KeyValues(rows);
            foreach (var flag in c.FlagList)
            {
                doc.Paragraph(flag, bold: true);
            }
            doc.Heading("Text", level: 3).Paragraph(c.Body.Length == 0 ? "(no text)" : c.Body, size: 9.5);
            var applying = labels[c.ContactId].Where(l => l.Applies == 1 || l.Review is not null).ToList();
            doc.Heading("Triage", level: 3);
            if (applying.Count == 0)
            {
                doc.Paragraph("No label applies.", size: 9, grey: true);
            }
            else
            {
                doc.Table(["Label", "Suggested", "Why", "Review"],
                    applying.Select(l => (IReadOnlyList<string?>)[TriageLabels.Title(l.Label), $"{l.Bucket} ({l.Score})",
                        string.Join("; ", l.ReasonList), l.Review is null ? "" : $"{l.Review} by {l.ReviewedBy}{(l.ReviewNote is null ? "" : $": {l.ReviewNote}")}"]),
                    [1.4, 1, 3.6, 1.6]);
            }
        }
        return doc.ToPdf();
    }
}
