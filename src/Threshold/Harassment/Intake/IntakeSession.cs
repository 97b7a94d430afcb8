using System.Buffers;
using System.Collections.Frozen;
using System.Security.Cryptography;
using Threshold.Domain;
using Threshold.Domain.Harassment;
using Threshold.Domain.Policing;
using Threshold.Harassment.Correspondents;
using Threshold.Harassment.FurtherContact;
using Threshold.Mail.Import;
using Threshold.Mail.Triage;
using Threshold.Storage;
using Threshold.Storage.Blobs;
using Threshold.Storage.Events;
using Threshold.Storage.Harassment;
using Threshold.Storage.Ledger;

namespace Threshold.Harassment.Intake;

public enum ContactOutcome
{
    Imported,
    Duplicate,
    Rejected,
}

/// <summary>What became of one message or entry.</summary>
public sealed record ContactResult(
    string Source,
    ContactOutcome Outcome,
    string? Reason = null,
    string? ContactId = null,
    string? CorrespondentId = null,
    IReadOnlyList<string>? Labels = null,
    IReadOnlyList<string>? Flags = null);

/// <summary>Where an intake's time went (see <see cref="IntakeSession.Timings"/>).</summary>
public sealed record IntakeTimings(TimeSpan WriterBusy, TimeSpan WaitedForWriter, TimeSpan WaitedForReaders);

/// <summary>A phone call, letter, visit or social-media post entered by hand.</summary>
public sealed record ManualContact(string Channel, DateTimeOffset? ReceivedAt, ContactSender Sender, string? Subject, string? Body, byte[]? Screenshot = null);

/// <summary>
/// One intake into an office's harassment log. Contacts are checked for duplicates (the same raw
/// bytes, or the same Message-ID with the same content), grouped under a correspondent, triaged,
/// checked against no-contact instructions, and appended to the intake's own ledger stream in
/// batches. One batch is written while the next is made, and a batch is on the ledger before the one
/// after it is handed over, so a crash loses at most those two, and re-running the import skips
/// everything already in as duplicates. Raw messages and attachments go to the blob store (and are
/// synced) before their events, so no event names a missing blob.
/// </summary>
public sealed class IntakeSession : IAsyncDisposable
{
    public const int BatchSize = 256;

    /// <summary>Raw messages up to this size are hashed in memory before writing (nothing is written for a duplicate).</summary>
    private const int InMemoryLimit = 4 << 20;

    private readonly ThresholdStore _store;
    private readonly BlobStore _blobs;
    private readonly TimeProvider _clock;
    private readonly string _actor;
    private readonly MailReadOptions _readOptions;
    private readonly CorrespondentIndex _index;
    private readonly HashSet<string> _rawHashes;
    private readonly HashSet<string> _fingerprints;

    // The raw hashes in the log when the intake opened, for the readers on other threads (the live set is this thread's).
    private readonly FrozenSet<string> _knownAtOpen;
    private readonly IReadOnlyDictionary<string, (DateTimeOffset On, string? How)> _stopRequests;
    private readonly FurtherContactCheck _furtherContact;
    private readonly TriageScorer _scorer;
    private readonly BlobWriter _blobWriter;
    private readonly List<ContactLogged> _pending = [];
    private readonly List<(FurtherContactMatch Match, ContactLogged Contact)> _pendingAlerts = [];

    // The batch in hand is serialised (and its packed blobs synced) in chunks as it fills, so that little is left
    // to do when it is handed over: serialising a whole batch at once kept the writer waiting 3 ms a batch.
    private const int ChunkSize = 64;
    private readonly List<(Task<NewEvent[]> Serialised, Task Synced)> _chunks = [];
    private int _chunked;

    /// <summary>
    /// An intake this large suspends the read model's per-correspondent index until it completes: each batch touched a
    /// page of it per correspondent, scattered, and rewrote them all; made again at the end in one sorted pass.
    /// </summary>
    public const int BulkSize = 4_096;
    private bool _suspending;
    private IAsyncDisposable? _suspendedIndex;
    private long _version;

    // The batch being written on another thread, if any (see HandOffAsync).
    private Task _writing = Task.CompletedTask;
    private long _writerTicks;
    private long _waitedForWriter;
    private long _waitedForReaders;

    internal IntakeSession(
        ThresholdStore store, BlobStore blobs, TimeProvider clock, string officeId, string actor, Func<string, bool> isOwnAddress,
        CorrespondentIndex index, HashSet<string> rawHashes, HashSet<string> fingerprints,
        IReadOnlyDictionary<string, (DateTimeOffset On, string? How)> stopRequests, FurtherContactCheck furtherContact, TriageScorer scorer)
    {
        _store = store;
        _blobs = blobs;
        _clock = clock;
        OfficeId = officeId;
        _actor = actor;
        _readOptions = new MailReadOptions(isOwnAddress);
        _index = index;
        _rawHashes = rawHashes;
        _knownAtOpen = rawHashes.ToFrozenSet(StringComparer.Ordinal);
        _fingerprints = fingerprints;
        _stopRequests = stopRequests;
        _furtherContact = furtherContact;
        _scorer = scorer;
        _blobWriter = async (stream, ct) =>
        {
            var blob = await PutAttachmentAsync(blobs, stream, ct);
            return new StoredBlob(blob.Sha256, blob.Size);
        };
        StreamId = $"intake:{NewId()}";
    }

    public string OfficeId { get; }

    /// <summary>The ledger stream this intake's contacts are appended to.</summary>
    public string StreamId { get; }

    public int Imported { get; private set; }

    public int Duplicates { get; private set; }

    public int Rejected { get; private set; }

    /// <summary>Where this intake's time went: the ledger writer busy, and the intake waiting for the writer or for its readers.</summary>
    public IntakeTimings Timings => new(
        TimeSpan.FromTicks(Interlocked.Read(ref _writerTicks) * TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency),
        System.Diagnostics.Stopwatch.GetElapsedTime(0, _waitedForWriter),
        System.Diagnostics.Stopwatch.GetElapsedTime(0, _waitedForReaders));

    /// <summary>Logs one e-mail, and disposes it once read. Never throws for bad input: a message that cannot be logged comes back rejected with the reason.</summary>
    public async Task<ContactResult> AddMessageAsync(IncomingMessage incoming, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        return await FinishAsync(await PrepareAsync(incoming, _rawHashes, ct), ct);
    }

    /// <summary>
    /// Logs many e-mails (each disposed once read), in order, with the same outcomes as <see cref="AddMessageAsync"/> one by
    /// one; <paramref name="onEach"/> hears each result in order. Messages that stand alone
    /// (<see cref="IncomingMessage.StandsAlone"/>) are stored, read and scored on other threads while
    /// the next are parsed; deduplication, grouping and the ledger stay in order on this one.
    /// </summary>
    public async Task AddMessagesAsync(IEnumerable<IncomingMessage> messages, Action<ContactResult>? onEach = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var window = new Queue<Task<Prepared>>();
        var limit = Math.Max(4, Environment.ProcessorCount * 4);
        try
        {
            foreach (var incoming in messages)
            {
                if (!incoming.StandsAlone)
                {
                    // Its content is still being read from the parser's file: finish what is in flight, then it, here.
                    while (window.Count > 0)
                    {
                        Report(await FinishAsync(await window.Dequeue(), ct));
                    }
                    Report(await FinishAsync(await PrepareAsync(incoming, _rawHashes, ct), ct));
                    continue;
                }
                window.Enqueue(Task.Run(() => PrepareAsync(incoming, _knownAtOpen, ct), ct));
                if (window.Count >= limit)
                {
                    Report(await FinishAsync(await NextAsync(window), ct));
                }
            }
            while (window.Count > 0)
            {
                Report(await FinishAsync(await window.Dequeue(), ct));
            }
        }
        finally
        {
            // On a failure, nothing is left writing behind the caller's back.
            foreach (var pending in window)
            {
                try
                {
                    await pending;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                }
            }
        }

        void Report(ContactResult result) => onEach?.Invoke(result);
    }

    private async Task<Prepared> NextAsync(Queue<Task<Prepared>> window)
    {
        var next = window.Dequeue();
        if (next.IsCompleted)
        {
            return await next;
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var prepared = await next;
        _waitedForReaders += System.Diagnostics.Stopwatch.GetTimestamp() - started;
        return prepared;
    }

    /// <summary>A message stored, read and scored, or the reason it cannot be: everything that needs no state but the blob store.</summary>
    private sealed record Prepared(IncomingMessage Incoming, BlobRef? Raw, ReadMail? Mail, IReadOnlyList<LabelFinding>? Labels, string? Rejection, bool KnownRaw);

    /// <summary>Prepares a message and disposes its parsed form: what the log keeps is in the result and the blob store.</summary>
    private async Task<Prepared> PrepareAsync(IncomingMessage incoming, IReadOnlySet<string> known, CancellationToken ct)
    {
        try
        {
            return await PrepareMessageAsync(incoming, known, ct);
        }
        finally
        {
            incoming.Dispose();
        }
    }

    private async Task<Prepared> PrepareMessageAsync(IncomingMessage incoming, IReadOnlySet<string> known, CancellationToken ct)
    {
        if (incoming.Message is null)
        {
            return new Prepared(incoming, null, null, null, incoming.ParseError ?? "could not be read", false);
        }
        BlobRef raw;
        try
        {
            raw = await StoreRawAsync(incoming, known, ct);
        }
        catch (IOException e)
        {
            return new Prepared(incoming, null, null, null, $"could not read or store its bytes: {e.Message}", false);
        }
        if (known.Contains(raw.Sha256))
        {
            return new Prepared(incoming, raw, null, null, null, true);
        }
        ReadOutcome outcome;
        try
        {
            outcome = await MailReader.ReadAsync(incoming.Message, new StoredBlob(raw.Sha256, raw.Size), incoming.SourceName, _readOptions, _blobWriter, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever a hostile message does to the reader, it is that message's rejection, not the import's end.
            return new Prepared(incoming, raw, null, null, $"could not be read ({e.GetType().Name}): {e.Message}", false);
        }
        if (outcome.Mail is not { } mail)
        {
            return new Prepared(incoming, raw, null, null, outcome.Rejection!, false);
        }
        // Scored without context here; a correspondent the office asked to stop is scored again, in order, with it.
        return new Prepared(incoming, raw, mail, _scorer.Score(mail.Subject, mail.Body), null, false);
    }

    private async Task<ContactResult> FinishAsync(Prepared prepared, CancellationToken ct)
    {
        var source = prepared.Incoming.SourceName;
        if (prepared.Rejection is { } rejection)
        {
            return Reject(source, rejection);
        }
        var raw = prepared.Raw!;
        if (prepared.KnownRaw || _rawHashes.Contains(raw.Sha256))
        {
            Duplicates++;
            return new ContactResult(source, ContactOutcome.Duplicate, $"already in the log (same SHA-256 {raw.Sha256[..12]}…)");
        }
        var mail = prepared.Mail!;
        if (mail.Evidence.Fingerprint is { } fingerprint && mail.MessageId is not null && _fingerprints.Contains(fingerprint))
        {
            Duplicates++;
            _rawHashes.Add(raw.Sha256);
            return new ContactResult(source, ContactOutcome.Duplicate, $"already in the log (same Message-ID {mail.MessageId} and content)");
        }
        var receivedAt = mail.SentAt ?? _clock.GetUtcNow();
        return await LogAsync(source, ContactChannel.Email, receivedAt, mail.Sender, mail.Subject, mail.Body,
            mail.Body.Length >= MailReader.MaxBodyChars, mail.Evidence, mail.Forwarded, null, ct, prepared.Labels);
    }

    /// <summary>Logs a phone call, letter, visit or social-media post; throws <see cref="DomainRuleException"/> for an entry that cannot stand.</summary>
    public async Task<ContactResult> AddManualAsync(ManualContact entry, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var channel = ContactChannel.Parse(entry.Channel);
        var body = TextClean.Clean(entry.Body).Trim();
        if (body.Length == 0)
        {
            throw new DomainRuleException("ContactNeedsAnAccount", "Say what was said or written: the account of the contact is empty.");
        }
        var now = _clock.GetUtcNow();
        var receivedAt = entry.ReceivedAt ?? now;
        if (receivedAt > now.AddDays(1))
        {
            throw new DomainRuleException("ContactCannotBeInTheFuture", "The date of the contact is in the future.");
        }
        var s = entry.Sender;
        var sender = new ContactSender(
            TextClean.OneLineOrNull(s.DisplayName) ?? TextClean.OneLineOrNull($"{s.GivenName} {s.FamilyName}"),
            TextClean.OneLineOrNull(s.Email), TextClean.OneLineOrNull(s.Phone), TextClean.OneLineOrNull(s.GivenName), TextClean.OneLineOrNull(s.FamilyName),
            TextClean.OneLineOrNull(s.DateOfBirth), TextClean.OneLineOrNull(s.AddressLine1), TextClean.OneLineOrNull(s.Town), TextClean.OneLineOrNull(s.Postcode));
        string? screenshot = null;
        if (entry.Screenshot is { Length: > 0 } bytes)
        {
            screenshot = _blobs.Put(bytes).Sha256;
        }
        var result = await LogAsync($"{ContactChannel.Title(channel)} entered by hand", channel, receivedAt, sender, TextClean.OneLineOrNull(entry.Subject),
            body, false, null, null, screenshot, ct, null);
        return result;
    }

    private async Task<ContactResult> LogAsync(
        string source, string channel, DateTimeOffset receivedAt, ContactSender sender, string? subject, string body, bool truncated,
        MessageEvidence? evidence, ForwardingNote? forwarded, string? screenshot, CancellationToken ct, IReadOnlyList<LabelFinding>? scored)
    {
        var decision = _index.Decide(sender);
        var correspondentId = decision.CorrespondentId ?? $"cor-{NewId()}";
        var context = _stopRequests.TryGetValue(correspondentId, out var stop) ? new TriageContext(stop.On, stop.How) : TriageContext.None;
        var labels = scored is not null && context.AskedToStopOn is null ? scored : _scorer.Score(subject, body, context, receivedAt);
        _index.Add(correspondentId, sender);
        var matches = _furtherContact.IsEmpty ? [] : _furtherContact.Check(sender, _index.IdentityOf(correspondentId), receivedAt);
        var contact = new ContactLogged(
            $"con-{TimeOrderedId()}", OfficeId, channel, receivedAt, sender, subject, body, truncated, evidence, forwarded,
            correspondentId, decision.IsNew, decision.Reason, labels, _scorer.Lexicon.Version, [.. matches.Select(m => m.Flag)], screenshot);
        _pending.Add(contact);
        _pendingAlerts.AddRange(matches.Select(m => (m, contact)));
        if (_pending.Count - _chunked >= ChunkSize)
        {
            StartChunk(ct);
        }
        if (evidence is not null)
        {
            _rawHashes.Add(evidence.RawSha256);
            if (evidence.Fingerprint is { } fingerprint)
            {
                _fingerprints.Add(fingerprint);
            }
        }
        Imported++;
        if (_pending.Count >= BatchSize)
        {
            await HandOffAsync(ct);
        }
        return new ContactResult(source, ContactOutcome.Imported, null, contact.ContactId, correspondentId,
            [.. labels.Where(l => TriageLabels.Applies(l.Bucket)).Select(l => l.Label)], contact.Flags);
    }

    /// <summary>
    /// Hands the batch in hand to a writer on another thread, once the batch before it is on the
    /// ledger: one batch is written (blobs synced, appended with the read model) while the next is
    /// made, and its events are serialised on a third thread while the one before is still being
    /// written. A failed write surfaces here, at the next hand-off or at the flush.
    /// </summary>
    private async Task HandOffAsync(CancellationToken ct)
    {
        var batch = TakeBatch(ct);
        if (!_suspending && Imported >= BulkSize)
        {
            _suspending = true;
            batch = batch with { SuspendIndex = true };
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await _writing;
        }
        catch
        {
            // Nothing is left running behind the caller's back.
            await ((Task)batch.Serialised).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await batch.Synced.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
        _waitedForWriter += System.Diagnostics.Stopwatch.GetTimestamp() - started;
        _writing = Task.Run(() => WriteAsync(batch, ct), ct);
    }

    /// <summary>Appends everything in hand to the ledger (after any batch still being written), then raises any further-contact alerts in the police agencies' chains.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        var batch = TakeBatch(ct);
        var writing = _writing;
        _writing = Task.CompletedTask;
        await writing;
        await WriteAsync(batch, ct);
    }

    /// <summary>A batch: its events being serialised and its packed blobs being synced (chunk by chunk), and its further-contact alerts.</summary>
    private sealed record Batch(Task<NewEvent[]> Serialised, Task Synced, (FurtherContactMatch Match, ContactLogged Contact)[] Alerts)
    {
        /// <summary>The writer suspends the per-correspondent index before this batch (see <see cref="BulkSize"/>).</summary>
        public bool SuspendIndex { get; init; }
    }

    private Batch TakeBatch(CancellationToken ct)
    {
        if (_pending.Count > _chunked)
        {
            StartChunk(ct);
        }
        var chunks = _chunks.ToArray();
        var alerts = _pendingAlerts.ToArray();
        _chunks.Clear();
        _chunked = 0;
        _pending.Clear();
        _pendingAlerts.Clear();
        return chunks.Length == 0
            ? new Batch(Task.FromResult<NewEvent[]>([]), Task.CompletedTask, alerts)
            : new Batch(JoinAsync([.. chunks.Select(c => c.Serialised)]), Task.WhenAll(chunks.Select(c => c.Synced)), alerts);

        static async Task<NewEvent[]> JoinAsync(Task<NewEvent[]>[] chunks) => [.. (await Task.WhenAll(chunks)).SelectMany(c => c)];
    }

    /// <summary>
    /// Serialises the contacts logged since the last chunk on another thread, and asks for the packed blobs to be
    /// synced: every message of the chunk was stored before it was logged, so once that sync is done its blobs are on disk.
    /// </summary>
    private void StartChunk(CancellationToken ct)
    {
        var contacts = _pending.GetRange(_chunked, _pending.Count - _chunked).ToArray();
        _chunked = _pending.Count;
        _chunks.Add((Task.Run(() => Array.ConvertAll(contacts, c => EventSerializer.ToNew(c)), ct), _blobs.SyncPackedAsync()));
    }

    private async Task WriteAsync(Batch batch, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await WriteBatchAsync(batch, ct);
        }
        finally
        {
            Interlocked.Add(ref _writerTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
        }
    }

    private async Task WriteBatchAsync(Batch batch, CancellationToken ct)
    {
        // The rows are written while the batch's packed blobs are synced; they commit only once the blobs are on disk.
        var events = await batch.Serialised;
        if (batch.SuspendIndex)
        {
            _suspendedIndex = await _store.SuspendIndexAsync(HarassmentProjection.CorrespondentIndex, ct);
        }
        if (events.Length > 0)
        {
            var result = await _store.Ledger.AppendAsync(OfficeId, StreamId, _version, events, _actor, batch.Synced, ct);
            _version = result.StreamVersion;
        }
        foreach (var (match, contact) in batch.Alerts)
        {
            var instruction = match.Instruction;
            var alert = new FurtherContactAlertRaised(
                $"alert-{NewId()}", instruction.InstructionId, instruction.CaseId, instruction.OfficerEmail, OfficeId, contact.ContactId,
                contact.CorrespondentId, contact.ReceivedAt, match.Breach, $"{match.Flag}: {match.Explanation}");
            // The alert log of an instruction is a log by nature: any number of offices may add to it.
            await _store.Ledger.AppendAsync(instruction.PoliceAgencyId, $"further-contact:{instruction.InstructionId}", ExpectedVersion.Any,
                [EventSerializer.ToNew(alert)], _actor, ct);
        }
    }

    /// <summary>Flushes, and records the run when it logged anything.</summary>
    public async Task CompleteAsync(string source, CancellationToken ct = default)
    {
        await FlushAsync(ct);
        await RestoreIndexAsync();
        if (_version > 0)
        {
            var done = new MailImportCompleted(StreamId, OfficeId, source, Imported, Duplicates, Rejected);
            _version = (await _store.Ledger.AppendAsync(OfficeId, StreamId, _version, [EventSerializer.ToNew(done)], _actor, ct)).StreamVersion;
        }
    }

    /// <summary>Waits for a batch still being written, so nothing writes behind the caller's back; its failure, if unobserved, was the caller's to see at the flush.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var (serialised, synced) in _chunks)
        {
            await ((Task)serialised).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await synced.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        try
        {
            await _writing;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
        }
        try
        {
            await RestoreIndexAsync();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            // The store makes it again when it is next opened.
        }
    }

    /// <summary>Makes the per-correspondent index again if this intake suspended it.</summary>
    private async Task RestoreIndexAsync()
    {
        if (_suspendedIndex is { } suspended)
        {
            _suspendedIndex = null;
            await suspended.DisposeAsync();
        }
    }

    private ContactResult Reject(string source, string reason)
    {
        Rejected++;
        return new ContactResult(source, ContactOutcome.Rejected, reason);
    }

    /// <summary>Stores the raw message, unless it is among the <paramref name="known"/> raw messages of the log (a duplicate: stored already).</summary>
    private async Task<BlobRef> StoreRawAsync(IncomingMessage incoming, IReadOnlySet<string> known, CancellationToken ct)
    {
        await using var raw = incoming.OpenRaw();
        if (incoming.RawLength > InMemoryLimit)
        {
            return await _blobs.PutAsync(raw, ct);
        }
        var length = (int)incoming.RawLength;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            // Read in one synchronous call: this runs on a worker already, and the file's async path would hop threads.
            ct.ThrowIfCancellationRequested();
            var read = raw.ReadAtLeast(buffer.AsSpan(0, length), length, throwOnEndOfStream: false);
            return _blobs.PutPacked(buffer.AsSpan(0, read), known);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Small attachments go to the intake's pack (one file per blob costs more than the blob); large ones are
    /// streamed to a file of their own. The buffer starts small and grows only for a larger attachment: a
    /// megabyte rented for every little PDF made the pool hand out large-object-heap arrays, and the
    /// collector run full collections to reclaim them.
    /// </summary>
    private static async Task<BlobRef> PutAttachmentAsync(BlobStore blobs, Stream content, CancellationToken ct)
    {
        const int packedLimit = 1 << 20;
        var buffer = ArrayPool<byte>.Shared.Rent(64 << 10);
        try
        {
            var read = 0;
            while (true)
            {
                read += await content.ReadAtLeastAsync(buffer.AsMemory(read), buffer.Length - read, throwOnEndOfStream: false, ct);
                if (read < buffer.Length || read > packedLimit)
                {
                    break;
                }
                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 4, packedLimit + 1));
                buffer.AsSpan(0, read).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }
            if (read <= packedLimit)
            {
                return blobs.PutPacked(buffer.AsSpan(0, read));
            }
            using var chained = new MimeKit.IO.ChainedStream();
            chained.Add(new MemoryStream(buffer, 0, read, writable: false), leaveOpen: false);
            chained.Add(content, leaveOpen: true);
            return await blobs.PutAsync(chained, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>
    /// A contact's id starts with the time it was logged (a version 7 UUID: 48 bits of milliseconds, 74 random):
    /// the read model's keys then grow at their right edge. A random id put each contact, and its labels, on a
    /// random page of the key indexes, so every batch rewrote hundreds of scattered pages.
    /// </summary>
    private string TimeOrderedId() => Guid.CreateVersion7(_clock.GetUtcNow()).ToString("n");
}
