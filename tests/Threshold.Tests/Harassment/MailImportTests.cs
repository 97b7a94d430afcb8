using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using MimeKit;
using Threshold.Domain.Harassment;
using Threshold.Harassment.Intake;
using Threshold.Infrastructure;
using Threshold.Mail.Import;
using Threshold.Storage.Administration;
using Threshold.Storage.Blobs;
using Threshold.Storage.Events;
using Threshold.Storage.Harassment;

namespace Threshold.Harassment;

/// <summary>Issue 4, import: every message is imported, skipped as a duplicate or rejected with a reason, and the rest goes on.</summary>
public sealed class MailImportTests : IAsyncLifetime
{
    private HarassmentStore _log = null!;

    public static string EdgeCases { get; } = Path.GetFullPath(Path.Combine(RepoRoot.Path, "..", "shared", "benchmarks", "mail-edge-cases"));

    public async Task InitializeAsync() => _log = await HarassmentStore.CreateAsync();

    public async Task DisposeAsync() => await _log.DisposeAsync();

    private async Task<ContactLogged> LoggedAsync(string contactId)
    {
        await foreach (var e in _log.Store.Ledger.ReadAllAsync(0))
        {
            if (e.Type == nameof(ContactLogged) && EventSerializer.Deserialize(e) is ContactLogged c && c.ContactId == contactId)
            {
                return c;
            }
        }
        throw new InvalidOperationException($"{contactId} is not on the ledger");
    }

    [Fact]
    public async Task An_eml_is_logged_with_headers_evidence_hash_and_labels_and_its_raw_bytes_in_the_blob_store()
    {
        var message = Mails.Message(body: "You are a useless liar and a disgrace. I know where you live.");
        message.Headers.Add("Received", "from mail.example.net (mail.example.net [192.0.2.7]) by mx.alex-morgan-mp.example; Mon, 2 Mar 2026 09:15:02 +0000");
        message.Headers.Add("Return-Path", "<bounce@example.net>");
        message.ReplyTo.Add(MailboxAddress.Parse("gary.replies@example.net"));
        var raw = Mails.Bytes(message);

        var result = Assert.Single(await _log.ImportAsync([MailSource.FromBytes(raw, "one.eml")]));

        Assert.Equal(ContactOutcome.Imported, result.Outcome);
        var logged = await LoggedAsync(result.ContactId!);
        var evidence = logged.Message!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(raw)), evidence.RawSha256);
        using (var stored = new MemoryStream())
        {
            await using var blob = _log.Blobs.OpenRead(evidence.RawSha256)!;
            await blob.CopyToAsync(stored);
            Assert.Equal(raw, stored.ToArray());
        }
        Assert.Equal(message.MessageId, evidence.MessageId);
        Assert.Contains("gary.pike@example.net", evidence.From, StringComparison.Ordinal);
        Assert.Contains("gary.replies@example.net", evidence.ReplyTo, StringComparison.Ordinal);
        Assert.Equal("<bounce@example.net>", evidence.ReturnPath);
        Assert.Contains("192.0.2.7", Assert.Single(evidence.Received), StringComparison.Ordinal);
        Assert.Equal("gary.pike@example.net", logged.Sender.Email);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 15, 0, TimeSpan.Zero), logged.ReceivedAt);
        Assert.Contains(TriageLabels.Threatening, result.Labels!);
        // The event holds no raw message: only its hash.
        Assert.DoesNotContain("Return-Path:", JsonOf(logged), StringComparison.Ordinal);
    }

    private static string JsonOf(ContactLogged c) => EventSerializer.ToNew(c).Payload;

    [Fact]
    public async Task Every_real_world_edge_case_is_imported_or_rejected_with_a_reason_and_the_rest_goes_on()
    {
        Assert.True(Directory.Exists(EdgeCases), $"The shared edge cases are missing at {EdgeCases}.");
        var results = new List<ContactResult>();
        results.AddRange(await _log.ImportAsync(Path.Combine(EdgeCases, "messages")));
        foreach (var mbox in Directory.GetFiles(Path.Combine(EdgeCases, "mbox")).Order())
        {
            results.AddRange(await _log.ImportAsync(mbox));
        }

        Assert.All(results, r => Assert.True(r.Outcome != ContactOutcome.Rejected || !string.IsNullOrWhiteSpace(r.Reason), r.Source));
        var imported = results.Count(r => r.Outcome == ContactOutcome.Imported);
        Assert.True(imported >= 30, string.Join("\n", results.Select(r => $"{r.Source}: {r.Outcome} {r.Reason}")));
        // The message built to overflow a recursive parser is read (its depth is capped), not a crash.
        Assert.Contains(results, r => r.Source == "stack-overflow.eml");
        // The content-length mbox holds many messages; its unmunged sibling splits where a reader must.
        Assert.True(results.Count(r => r.Source.StartsWith("content-length.mbox", StringComparison.Ordinal)) > 1);
        var verify = await _log.Store.Ledger.VerifyAsync();
        Assert.True(verify.Intact, verify.FirstProblem);
    }

    [Fact]
    public async Task Japanese_and_unknown_8bit_headers_are_read_without_losing_the_message()
    {
        var raw = Encoding.Latin1.GetBytes(
            "From: \"J\xf6rg M\xfcller\" <jm@example.net>\r\nTo: office@alex-morgan-mp.example\r\nSubject: Caf\xe9 \xff\xfe closure\r\n" +
            "Date: Mon, 2 Mar 2026 10:00:00 +0000\r\nMessage-ID: <8bit-1@example.net>\r\n\r\nPlease keep the caf\xe9 open.\r\n");
        var result = Assert.Single(await _log.ImportAsync([MailSource.FromBytes(raw, "8bit.eml")]));
        Assert.Equal(ContactOutcome.Imported, result.Outcome);
        var logged = await LoggedAsync(result.ContactId!);
        Assert.Contains("closure", logged.Subject, StringComparison.Ordinal);
        Assert.Equal("jm@example.net", logged.Sender.Email);

        var japanese = Assert.Single(await _log.ImportAsync(Path.Combine(EdgeCases, "messages", "japanese.eml")));
        Assert.Equal(ContactOutcome.Imported, japanese.Outcome);
    }

    [Fact]
    public async Task Malformed_mime_and_non_mail_are_rejected_with_a_reason_and_the_rest_is_imported()
    {
        var folder = Directory.CreateTempSubdirectory("threshold-malformed").FullName;
        File.WriteAllBytes(Path.Combine(folder, "a-good.eml"), Mails.Bytes(Mails.Message()));
        File.WriteAllText(Path.Combine(folder, "b-empty.eml"), "");
        File.WriteAllBytes(Path.Combine(folder, "c-binary.eml"), [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
        File.WriteAllText(Path.Combine(folder, "d-broken-multipart.eml"),
            "From: x@example.net\r\nSubject: broken\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"zzz\"\r\n\r\n--zzz\r\nContent-Type: text/plain\r\n\r\nhalf a message with no closing boundary");
        File.WriteAllBytes(Path.Combine(folder, "e-good.eml"), Mails.Bytes(Mails.Message(from: "Lyn Bardsley <lyn@example.org>", body: "Thank you for your help.")));

        var results = await _log.ImportAsync(folder);

        Assert.Equal(5, results.Count);
        Assert.Equal(ContactOutcome.Imported, results[0].Outcome);
        Assert.Equal(ContactOutcome.Rejected, results[1].Outcome);
        Assert.Contains("empty", results[1].Reason, StringComparison.Ordinal);
        Assert.Equal(ContactOutcome.Rejected, results[2].Outcome);
        Assert.Equal(ContactOutcome.Imported, results[3].Outcome);
        Assert.Equal(ContactOutcome.Imported, results[4].Outcome);
    }

    [Fact]
    public async Task An_mbox_read_on_other_threads_keeps_order_and_dedupes_within_the_run_and_on_the_next()
    {
        var folder = Directory.CreateTempSubdirectory("threshold-mbox").FullName;
        var mbox = Path.Combine(folder, "pipelined.mbox");
        var surname = Mails.UniqueSurname();
        var messages = Enumerable.Range(0, 40).Select(i => Mails.Message(
            from: $"Kit {surname} <kit.{surname.ToLowerInvariant()}{i % 3}@example.net>", subject: $"Letter {i}",
            body: i % 5 == 0 ? "I know where you live and I will hurt you." : $"About the bus route, letter {i}.")).ToList();
        messages.Insert(20, messages[7]); // the same bytes again, later in the same file
        Mails.WriteMbox(mbox, messages);

        var first = await _log.ImportAsync(MailSource.Read(mbox, persistent: false));
        var again = await _log.ImportAsync(MailSource.Read(mbox, persistent: false));

        Assert.Equal(41, first.Count);
        Assert.Equal(Enumerable.Range(1, 41).Select(i => $"pipelined.mbox #{i}"), first.Select(r => r.Source[..r.Source.IndexOf(" (", StringComparison.Ordinal)]));
        Assert.Equal(40, first.Count(r => r.Outcome == ContactOutcome.Imported));
        Assert.Equal(ContactOutcome.Duplicate, first[20].Outcome);
        Assert.Contains("threatening", first[5].Labels!);
        Assert.DoesNotContain("threatening", first[6].Labels!);
        Assert.All(again, r => Assert.Equal(ContactOutcome.Duplicate, r.Outcome));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task An_import_stopped_mid_way_loses_only_the_batch_in_hand_and_a_new_process_resumes_it_with_every_raw_message_readable()
    {
        var folder = Directory.CreateTempSubdirectory("threshold-mbox").FullName;
        var mbox = Path.Combine(folder, "stopped.mbox");
        var surname = Mails.UniqueSurname();
        Mails.WriteMbox(mbox, Enumerable.Range(0, IntakeSession.BatchSize + 44).Select(i => Mails.Message(
            from: $"Orla {surname} <orla.{surname.ToLowerInvariant()}@example.net>", subject: $"Complaint {i}", body: $"Complaint number {i} about the harbour.")));

        // The first run stops without completing: the batch in hand is never appended.
        await using (var stopped = await _log.Log.OpenIntakeAsync(HarassmentStore.Office, "user:" + HarassmentStore.Caseworker))
        {
            await stopped.AddMessagesAsync(MailSource.Read(mbox, persistent: false));
        }
        // A new process: its own blob store instance, which must find the first run's packed blobs.
        var blobs = BlobStore.ForDataDirectory(_log.DataDirectory);
        var log = new HarassmentLog(_log.Store, blobs, _log.Queries, new AdministrationQueries(_log.Store), TimeProvider.System);
        var results = new List<ContactResult>();
        await using (var resumed = await log.OpenIntakeAsync(HarassmentStore.Office, "user:" + HarassmentStore.Caseworker))
        {
            await resumed.AddMessagesAsync(MailSource.Read(mbox, persistent: false), results.Add);
            await resumed.CompleteAsync("stopped.mbox");
        }

        Assert.Equal(IntakeSession.BatchSize, results.Count(r => r.Outcome == ContactOutcome.Duplicate));
        Assert.Equal(44, results.Count(r => r.Outcome == ContactOutcome.Imported));
        var logged = 0;
        await foreach (var e in _log.Store.Ledger.ReadAllAsync(0))
        {
            if (e.Type == nameof(ContactLogged) && EventSerializer.Deserialize(e) is ContactLogged { Subject: { } subject } c && subject.StartsWith("Complaint ", StringComparison.Ordinal))
            {
                logged++;
                Assert.True(await blobs.VerifyAsync(c.Message!.RawSha256), $"raw message of {subject} is readable and intact");
            }
        }
        Assert.Equal(IntakeSession.BatchSize + 44, logged);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task An_import_run_again_in_a_new_process_skips_every_message_without_storing_its_bytes_again()
    {
        var folder = Directory.CreateTempSubdirectory("threshold-mbox").FullName;
        var mbox = Path.Combine(folder, "again.mbox");
        var surname = Mails.UniqueSurname();
        Mails.WriteMbox(mbox, Enumerable.Range(0, 300).Select(i => Mails.Message(
            from: $"Tove {surname} <tove.{surname.ToLowerInvariant()}@example.net>", subject: $"Again {i}", body: $"Message {i} about the quay.")));
        Assert.All(await _log.ImportAsync(MailSource.Read(mbox, persistent: false)), r => Assert.Equal(ContactOutcome.Imported, r.Outcome));
        var packs = Path.Combine(_log.DataDirectory, "blobs", "packs");
        long PackBytes() => Directory.GetFiles(packs).Sum(f => new FileInfo(f).Length);
        var before = PackBytes();

        // A new process: its own blob store instance, which has not indexed the first run's pack.
        var log = new HarassmentLog(_log.Store, BlobStore.ForDataDirectory(_log.DataDirectory), _log.Queries, new AdministrationQueries(_log.Store), TimeProvider.System);
        var results = new List<ContactResult>();
        await using (var again = await log.OpenIntakeAsync(HarassmentStore.Office, "user:" + HarassmentStore.Caseworker))
        {
            await again.AddMessagesAsync(MailSource.Read(mbox, persistent: false), results.Add);
            await again.CompleteAsync("again.mbox");
        }

        Assert.Equal(300, results.Count(r => r.Outcome == ContactOutcome.Duplicate));
        Assert.Equal(before, PackBytes());
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_bulk_import_suspends_the_per_correspondent_index_and_leaves_it_made_again_with_every_contact_found_by_it()
    {
        var folder = Directory.CreateTempSubdirectory("threshold-mbox").FullName;
        var mbox = Path.Combine(folder, "bulk.mbox");
        var surnames = Enumerable.Range(0, 40).Select(_ => Mails.UniqueSurname()).ToList();
        Mails.WriteMbox(mbox, Enumerable.Range(0, IntakeSession.BulkSize + 300).Select(i => Mails.Message(
            from: $"Rhea {surnames[i % 40]} <rhea.{surnames[i % 40].ToLowerInvariant()}@example.net>", subject: $"Bulk {i}", body: $"Letter number {i} about the ferry.")));

        await using (var intake = await _log.Log.OpenIntakeAsync(HarassmentStore.Office, "user:" + HarassmentStore.Caseworker))
        {
            await intake.AddMessagesAsync(MailSource.Read(mbox, persistent: false));
            Assert.Empty(await IndexAsync()); // suspended while the import runs
            await intake.CompleteAsync("bulk.mbox");
        }

        Assert.Single(await IndexAsync());
        var correspondents = (await _log.Queries.CorrespondentsAsync(HarassmentStore.Office)).Where(c => c.DisplayName.StartsWith("Rhea ", StringComparison.Ordinal)).ToList();
        Assert.Equal(40, correspondents.Count);
        Assert.All(correspondents, c => Assert.InRange(c.ContactCount, 109, 110));
        var one = await _log.Queries.ContactsAsync(HarassmentStore.Office, new ContactFilter { CorrespondentId = correspondents[0].CorrespondentId });
        Assert.Equal(correspondents[0].ContactCount, one.Count);
        Directory.Delete(folder, recursive: true);

        async Task<List<string>> IndexAsync()
        {
            await using var c = await _log.Store.OpenConnectionAsync();
            await using var command = c.CreateCommand();
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'harassment_contacts_correspondent'";
            var names = new List<string>();
            await using var r = await command.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                names.Add(r.GetString(0));
            }
            return names;
        }
    }

    [Fact]
    public async Task A_broken_mbox_separator_rejects_the_rest_of_that_file_with_a_reason_not_the_import()
    {
        var folder = Directory.CreateTempSubdirectory("threshold-mbox").FullName;
        var mbox = Path.Combine(folder, "broken.mbox");
        Mails.WriteMbox(mbox, [Mails.Message(), Mails.Message(from: "Lyn Bardsley <lyn@example.org>")]);
        // A "From " line mangled in the middle: the second message's separator is lost.
        var text = File.ReadAllText(mbox, Encoding.Latin1);
        var second = text.IndexOf("\nFrom lyn@", StringComparison.Ordinal);
        File.WriteAllText(mbox, text[..second] + "\nFrmo lyn@" + text[(second + 10)..], Encoding.Latin1);
        File.WriteAllBytes(Path.Combine(folder, "z-after.eml"), Mails.Bytes(Mails.Message(from: "Sam Oduya <sam@example.org>")));

        var results = await _log.ImportAsync(folder);

        Assert.Equal(ContactOutcome.Imported, results[0].Outcome);
        Assert.Contains(results, r => r.Source == "z-after.eml" && r.Outcome == ContactOutcome.Imported);
    }

    [Fact]
    public async Task A_maildir_is_read_from_cur_and_new_and_tmp_is_ignored()
    {
        var maildir = Directory.CreateTempSubdirectory("threshold-maildir").FullName;
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        }
        File.WriteAllBytes(Path.Combine(maildir, "cur", "1700000000.1.host:2,S"), Mails.Bytes(Mails.Message()));
        File.WriteAllBytes(Path.Combine(maildir, "new", "1700000001.2.host"), Mails.Bytes(Mails.Message(from: "Lyn Bardsley <lyn@example.org>")));
        File.WriteAllBytes(Path.Combine(maildir, "tmp", "1700000002.3.host"), Mails.Bytes(Mails.Message(from: "Half Written <half@example.org>")));

        Assert.Equal(MailSourceKind.Maildir, MailSource.Detect(maildir));
        var results = await _log.ImportAsync(maildir);

        Assert.Equal(2, results.Count(r => r.Outcome == ContactOutcome.Imported));
    }

    [Fact]
    public async Task The_same_message_twice_is_a_duplicate_and_a_rerun_resumes_without_logging_anything_twice()
    {
        var folder = Directory.CreateTempSubdirectory("threshold-rerun").FullName;
        var mbox = Path.Combine(folder, "inbox.mbox");
        var messages = Enumerable.Range(1, 40).Select(i => Mails.Message(from: $"Sender {i} <s{i}@example.org>", subject: $"Message {i}")).ToList();
        Mails.WriteMbox(mbox, messages.Take(25));
        Assert.All(await _log.ImportAsync(mbox), r => Assert.Equal(ContactOutcome.Imported, r.Outcome));

        // The mbox grew (or the first run died part way): the rerun logs only what is new.
        Mails.WriteMbox(mbox, messages);
        var rerun = await _log.ImportAsync(mbox);
        Assert.Equal(25, rerun.Count(r => r.Outcome == ContactOutcome.Duplicate));
        Assert.Equal(15, rerun.Count(r => r.Outcome == ContactOutcome.Imported));

        // The same message delivered again with another Received header (other bytes, same Message-ID and content).
        var again = messages[0];
        again.Headers.Add("Received", "from relay.example.org by mx2.alex-morgan-mp.example; Mon, 2 Mar 2026 09:16:00 +0000");
        Assert.Equal(ContactOutcome.Duplicate, Assert.Single(await _log.ImportAsync(again)).Outcome);

        Assert.Equal(40, (await _log.Queries.ContactsAsync(HarassmentStore.Office, new ContactFilter())).Count);
    }

    [Fact]
    public async Task Html_with_scripts_and_tracking_pixels_is_kept_as_text_only_and_nothing_is_fetched()
    {
        var message = Mails.Message(subject: "Look at this");
        message.Body = new TextPart("html")
        {
            Text = """
                <html><head><style>body{color:red}</style><script>fetch('https://tracker.example/x?id=1')</script></head>
                <body onload="steal()"><p>You are <b>pathetic</b>.</p><img src="https://tracker.example/pixel.gif?u=office" width="1" height="1">
                <iframe src="https://evil.example/"></iframe><a href="https://example.net/rant">read my blog</a></body></html>
                """,
        };

        var result = Assert.Single(await _log.ImportAsync(message));

        var logged = await LoggedAsync(result.ContactId!);
        Assert.Contains("You are pathetic.", logged.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("fetch(", logged.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<", logged.Body, StringComparison.Ordinal);
        Assert.Null(logged.Message!.HtmlText); // the body is the HTML's text: not stored twice
        Assert.Contains("[https://example.net/rant]", logged.Body, StringComparison.Ordinal);
        Assert.Contains(logged.Message.HtmlNotes, n => n.Contains("script removed", StringComparison.Ordinal));
        Assert.Contains(logged.Message.HtmlNotes, n => n.Contains("remote image not fetched", StringComparison.Ordinal));
        Assert.Contains(logged.Message.HtmlNotes, n => n.Contains("embedded frame", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_html_alternative_beside_a_text_body_is_left_in_the_raw_message_and_read_as_text_from_it_on_request()
    {
        var message = Mails.Message(subject: "Two versions");
        var alternative = new MultipartAlternative
        {
            new TextPart("plain") { Text = "You are pathetic and everyone knows it." },
            new TextPart("html")
            {
                Text = """
                    <html><body onload="steal()"><p>You are <b>pathetic</b> and <i>everyone</i> knows it.</p>
                    <script>fetch('https://tracker.example/x')</script><img src="https://tracker.example/pixel.gif?u=office" width="1" height="1"></body></html>
                    """,
            },
        };
        message.Body = alternative;

        var result = Assert.Single(await _log.ImportAsync(message));

        var logged = await LoggedAsync(result.ContactId!);
        Assert.Equal("You are pathetic and everyone knows it.", logged.Body);
        Assert.Null(logged.Message!.HtmlText);
        Assert.Empty(logged.Message.HtmlNotes);
        await using var raw = _log.Blobs.OpenRead(logged.Message.RawSha256)!;
        var html = MailReader.HtmlAlternative(raw);
        Assert.NotNull(html);
        Assert.Contains("You are pathetic and everyone knows it.", html.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("fetch(", html.Text, StringComparison.Ordinal);
        Assert.Contains(html.Notes, n => n.Contains("script removed", StringComparison.Ordinal));
        Assert.Contains(html.Notes, n => n.Contains("remote image not fetched", StringComparison.Ordinal));
        Assert.Contains(html.Notes, n => n.Contains("script handler removed", StringComparison.Ordinal));

        // A message with only a text body, or a broken one, has no HTML version to show.
        Assert.Null(MailReader.HtmlAlternative(new MemoryStream(Mails.Bytes(Mails.Message(body: "Plain only.")))));
        Assert.Null(MailReader.HtmlAlternative(new MemoryStream("not a message at all"u8.ToArray())));
    }

    [Fact]
    public async Task An_intake_disposes_each_parsed_message_once_read_so_none_waits_for_a_finalizer()
    {
        var incoming = MailSource.FromBytes(Mails.Bytes(Mails.Message(body: "Read me once.")), "once.eml");
        var text = Assert.IsType<TextPart>(incoming.Message!.Body);

        Assert.Equal(ContactOutcome.Imported, Assert.Single(await _log.ImportAsync([incoming])).Outcome);

        Assert.Throws<ObjectDisposedException>(() => text.Text);
        await using var raw = incoming.OpenRaw(); // the raw bytes stay readable
        Assert.True(raw.ReadByte() >= 0);
    }

    [Fact]
    public async Task A_50_MB_attachment_is_streamed_to_the_blob_store_with_its_hash()
    {
        var bytes = new byte[50 * 1024 * 1024];
        new Random(4).NextBytes(bytes);
        var message = Mails.Message(subject: "the file");
        var builder = new BodyBuilder { TextBody = "See attached." };
        builder.Attachments.Add("recording.wav", bytes, ContentType.Parse("audio/wav"));
        message.Body = builder.ToMessageBody();
        var path = Path.Combine(Directory.CreateTempSubdirectory("threshold-big").FullName, "big.eml");
        await using (var file = File.Create(path))
        {
            await message.WriteToAsync(file);
        }

        var result = Assert.Single(await _log.ImportAsync(path));

        Assert.Equal(ContactOutcome.Imported, result.Outcome);
        var attachment = Assert.Single((await LoggedAsync(result.ContactId!)).Message!.Attachments);
        Assert.Equal(bytes.LongLength, attachment.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), attachment.Sha256);
        Assert.True(await _log.Blobs.VerifyAsync(attachment.Sha256));
    }

    [Fact]
    public async Task A_zip_bomb_attachment_is_stored_as_it_came_and_never_unpacked()
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = (await archive.CreateEntry("zeros.bin", CompressionLevel.SmallestSize).OpenAsync());
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 200; i++)
            {
                await entry.WriteAsync(zeros);
            }
        }
        var bomb = zip.ToArray();
        Assert.True(bomb.Length < 1 << 20, "a 200 MB file compresses to well under 1 MB");
        var message = Mails.Message(subject: "evidence.zip");
        var builder = new BodyBuilder { TextBody = "open it" };
        builder.Attachments.Add("evidence.zip", bomb, ContentType.Parse("application/zip"));
        message.Body = builder.ToMessageBody();

        var result = Assert.Single(await _log.ImportAsync(message));

        var attachment = Assert.Single((await LoggedAsync(result.ContactId!)).Message!.Attachments);
        Assert.Equal(bomb.LongLength, attachment.Size);
        Assert.Equal("archive: never unpacked", attachment.Note);
        await using var stored = _log.Blobs.OpenRead(attachment.Sha256)!;
        Assert.Equal(bomb.LongLength, stored.Length);
    }

    [Fact]
    public async Task Blobs_are_content_addressed_atomic_and_deduplicated()
    {
        var a = _log.Blobs.Put("same bytes"u8);
        var b = await _log.Blobs.PutAsync(new MemoryStream("same bytes"u8.ToArray()));
        Assert.Equal(a, b);
        Assert.Equal(Path.Combine(_log.Blobs.Root, a.Sha256[..2], a.Sha256[2..]), _log.Blobs.PathFor(a.Sha256));
        Assert.Empty(Directory.GetFiles(Path.Combine(_log.Blobs.Root, "tmp")));
        Assert.True(await _log.Blobs.VerifyAsync(a.Sha256));
        File.WriteAllText(_log.Blobs.PathFor(a.Sha256), "tampered");
        Assert.False(await _log.Blobs.VerifyAsync(a.Sha256));
    }
}
