using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Threshold.Domain.Harassment;
using Threshold.Harassment.Evidence;
using Threshold.Storage.Events;
using UglyToad.PdfPig;

namespace Threshold.Harassment;

/// <summary>Issue 4, step 5: the evidence pack, read back as a person would — the PDF's text extracted with PdfPig, the ZIP opened.</summary>
public sealed class EvidencePackTests : IAsyncLifetime
{
    private HarassmentStore _log = null!;

    public async Task InitializeAsync() => _log = await HarassmentStore.CreateAsync();

    public async Task DisposeAsync() => await _log.DisposeAsync();

    private EvidencePackBuilder Builder() => new(_log.Store, _log.Log, _log.Queries, _log.Blobs, TimeProvider.System);

    [Fact]
    public async Task The_pdf_has_the_summary_each_message_with_headers_and_hash_label_reasons_and_page_numbers()
    {
        var messages = new[]
        {
            Mails.Message(body: "You useless liar.", subject: "First", date: new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)),
            Mails.Message(body: "I know where you live.", subject: "Second", date: new DateTimeOffset(2026, 3, 9, 9, 0, 0, TimeSpan.Zero)),
            Mails.Message(body: "Another rant about the ferry, long enough to wrap: " + string.Join(' ', Enumerable.Repeat("the harbour deserves better than this", 60)), subject: "Third", date: new DateTimeOffset(2026, 4, 20, 9, 0, 0, TimeSpan.Zero)),
        };
        var results = await _log.ImportAsync(messages);
        var correspondent = results[0].CorrespondentId!;
        var hashes = messages.Select(m => Convert.ToHexStringLower(SHA256.HashData(Mails.Bytes(m)))).ToList();

        var pack = await Builder().BuildAsync(HarassmentStore.Office, "Office of Alex Morgan MP", correspondent,
            new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), "user:" + HarassmentStore.Caseworker);

        Assert.Equal(2, pack.ContactCount);
        using var pdf = PdfDocument.Open(pack.Pdf);
        var pages = pdf.GetPages().Select(p => p.Text).ToList();
        var text = string.Join("\n", pages);
        Assert.Contains("Evidence pack", pages[0], StringComparison.Ordinal);
        Assert.Contains("Gary Pike", pages[0], StringComparison.Ordinal);
        Assert.Contains("Summary", pages[0], StringComparison.Ordinal);
        Assert.Contains($"Page 1 of {pages.Count}", pages[0], StringComparison.Ordinal);
        Assert.Contains($"Page {pages.Count} of {pages.Count}", pages[^1], StringComparison.Ordinal);
        Assert.Contains(pack.ManifestSha256, Squash(pages[0]), StringComparison.Ordinal);
        // Each message in range with its evidence hash (a long string may wrap: compare without spaces).
        Assert.Contains(hashes[0], Squash(text), StringComparison.Ordinal);
        Assert.Contains(hashes[1], Squash(text), StringComparison.Ordinal);
        Assert.DoesNotContain(hashes[2], Squash(text), StringComparison.Ordinal);
        Assert.Contains("Message-ID", text, StringComparison.Ordinal);
        Assert.Contains("Return-Path", text, StringComparison.Ordinal);
        Assert.Contains("know where you live", text, StringComparison.Ordinal);
        Assert.Contains("Threatening", text, StringComparison.Ordinal);
        Assert.Contains("(menacing)", text, StringComparison.Ordinal);
    }

    private static string Squash(string s) => new([.. s.Where(c => !char.IsWhiteSpace(c))]);

    [Fact]
    public async Task The_zip_holds_the_original_bytes_and_a_manifest_whose_hash_is_on_the_ledger()
    {
        var message = Mails.Message(body: "Pathetic.");
        var raw = Mails.Bytes(message);
        var result = Assert.Single(await _log.ImportAsync([Mail.Import.MailSource.FromBytes(raw, "one.eml")]));

        var pack = await Builder().BuildAsync(HarassmentStore.Office, "Office of Alex Morgan MP", result.CorrespondentId!, null, null, "user:test");

        using var zip = new ZipArchive(new MemoryStream(pack.Zip));
        var eml = Assert.Single(zip.Entries, e => e.FullName.StartsWith("messages/", StringComparison.Ordinal));
        using (var stream = eml.Open())
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            Assert.Equal(raw, copy.ToArray());
        }
        string manifest;
        using (var reader = new StreamReader(zip.GetEntry("manifest.txt")!.Open(), Encoding.UTF8))
        {
            manifest = reader.ReadToEnd();
        }
        Assert.Equal(pack.ManifestSha256, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest))));
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(raw)), manifest, StringComparison.Ordinal);

        EvidencePackGenerated? recorded = null;
        await foreach (var e in _log.Store.Ledger.ReadAllAsync(0))
        {
            if (EventSerializer.Deserialize(e) is EvidencePackGenerated g)
            {
                recorded = g;
            }
        }
        Assert.Equal(pack.ManifestSha256, recorded!.ManifestSha256);
        Assert.True(await _log.Blobs.VerifyAsync(recorded.PdfSha256));
        Assert.True((await _log.Store.Ledger.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task A_pack_with_no_contacts_in_range_is_refused_plainly()
    {
        var result = Assert.Single(await _log.ImportAsync(Mails.Message()));
        var error = await Assert.ThrowsAsync<Domain.DomainRuleException>(() =>
            Builder().BuildAsync(HarassmentStore.Office, "Office", result.CorrespondentId!, new DateOnly(2020, 1, 1), new DateOnly(2020, 1, 2), "user:test"));
        Assert.Contains("no contacts", error.Message, StringComparison.Ordinal);
    }
}
