using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Threshold.Storage.Ledger;

/// <summary>
/// <see cref="ILedger"/> on SQLite or PostgreSQL. Appends are the only writes to <c>ledger_events</c>;
/// no code path here updates or deletes a row.
/// </summary>
internal sealed partial class SqlLedger : ILedger, IAsyncDisposable
{
    private readonly StoreDatabase _database;
    private readonly AgencyKeyRing _keys;
    private readonly TimeProvider _clock;
    private readonly ProjectionRunner _projections;

    /// <summary>One writer at a time in this process; the database's write lock orders writers across processes.</summary>
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private AppendSession? _session;

    /// <summary>Each agency's HMAC, keyed once and reused by every append (used only under <see cref="_writeGate"/>).</summary>
    private readonly Dictionary<string, System.Security.Cryptography.IncrementalHash> _macs = new(StringComparer.Ordinal);

    public SqlLedger(StoreDatabase database, AgencyKeyRing keys, TimeProvider clock, IReadOnlyList<IProjection> projections)
    {
        _database = database;
        _keys = keys;
        _clock = clock;
        _projections = new ProjectionRunner(projections);
    }

    public Task<AppendResult> AppendAsync(
        string agencyId, string streamId, long expectedVersion, IReadOnlyList<NewEvent> events, string actor, CancellationToken ct = default) =>
        AppendAsync(agencyId, streamId, expectedVersion, events, actor, Task.CompletedTask, ct);

    public async Task<AppendResult> AppendAsync(
        string agencyId, string streamId, long expectedVersion, IReadOnlyList<NewEvent> events, string actor, Task beforeCommit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(beforeCommit);
        ValidateAppend(agencyId, streamId, expectedVersion, events, actor);
        try
        {
            return await WriteAsync(lockedByWork: true,
                (session, transaction, token) => AppendLockedAsync(session, transaction, agencyId, streamId, expectedVersion, events, actor, token),
                ct, beforeCommit);
        }
        catch (Exception e) when (_database.IsStreamVersionClash(e))
        {
            // Only reachable if a row was written without the write lock; it is still a lost race for the stream.
            throw new ConcurrencyConflictException(
                $"Stream '{streamId}' was appended to by another writer at the same version first: nothing was written. Reload and try again.", e);
        }
    }

    /// <summary>The part of an append that runs under the write lock, in one transaction.</summary>
    private async Task<(AppendResult, long)> AppendLockedAsync(
        AppendSession session, DbTransaction transaction, string agencyId, string streamId, long expectedVersion,
        IReadOnlyList<NewEvent> events, string actor, CancellationToken ct)
    {
        var heads = await session.ReadHeadsAsync(transaction, agencyId, streamId, ct);
        if (heads.StreamAgency is not null && heads.StreamAgency != agencyId)
        {
            throw new ArgumentException(
                $"Stream '{streamId}' belongs to agency '{heads.StreamAgency}', not '{agencyId}': an agency appends only to its own streams.",
                nameof(streamId));
        }
        if (expectedVersion != ExpectedVersion.Any && expectedVersion != heads.StreamVersion)
        {
            throw new ConcurrencyConflictException(streamId, expectedVersion, heads.StreamVersion);
        }
        var key = _keys.KeyFor(agencyId, chainIsEmpty: heads.ChainSequence == 0);

        // Chain the new events: hashes are computed here, before anything is written.
        var recordedAt = ChainHash.FormatRecordedAt(_clock.GetUtcNow());
        var stored = new StoredEvent[events.Count];
        var previous = heads.ChainHead ?? ChainHash.Genesis.ToArray();
        for (var i = 0; i < events.Count; i++)
        {
            var sequence = heads.ChainSequence + 1 + i;
            var version = heads.StreamVersion + 1 + i;
            var hash = ChainHash.Compute(agencyId, sequence, streamId, version, events[i].Type, events[i].Payload, actor, recordedAt, previous);
            stored[i] = new StoredEvent(heads.LastPosition + 1 + i, agencyId, sequence, streamId, version,
                events[i].Type, events[i].Payload, actor, recordedAt, previous, hash) { Source = events[i].Source };
            previous = hash;
        }
        var head = stored[^1];

        // The checkpoint's tag covers the new head, which depends on what was read under the lock, so it is
        // made here, on the append's critical path (about 1 µs of HMAC-SHA256).
        if (!_macs.TryGetValue(agencyId, out var hmac))
        {
            hmac = System.Security.Cryptography.IncrementalHash.CreateHMAC(System.Security.Cryptography.HashAlgorithmName.SHA256, key);
            _macs.Add(agencyId, hmac);
        }
        var mac = CheckpointMac.Compute(hmac, agencyId, head.Sequence, head.Hash);
        await _projections.BeforeAppendAsync(session.Connection, transaction, session.Statements, heads.LastPosition, ct);
        if (session.WritesInOneBatch)
        {
            // PostgreSQL: the rows and the checkpoint travel in one round trip.
            await session.WriteBatchAsync(transaction, stored, agencyId, head.Sequence, head.Hash, recordedAt, mac, ct);
        }
        else
        {
            // SQLite runs in-process: a prepared statement per row costs no trip.
            foreach (var e in stored)
            {
                await session.InsertAsync(transaction, e, ct);
            }
            await session.WriteCheckpointAsync(transaction, agencyId, head.Sequence, head.Hash, recordedAt, mac, ct);
        }
        await _projections.ApplyAsync(session.Connection, transaction, session.Statements, stored, ct);
        session.Stage(agencyId, streamId, head.Position, head.Sequence, head.Hash, head.StreamVersion);
        return (new AppendResult(stored[0].Position, head.Position, head.StreamVersion), head.Position);
    }

    /// <summary>
    /// Runs <c>work</c> in a transaction holding the write lock and commits it. The work returns its result
    /// and the ledger position the projections have reached. <c>lockedByWork</c>: the work starts with
    /// <see cref="AppendSession.ReadHeadsAsync"/>, which takes the lock itself.
    /// </summary>
    internal async Task<T> WriteAsync<T>(
        bool lockedByWork, Func<AppendSession, DbTransaction, CancellationToken, Task<(T Result, long Position)>> work, CancellationToken ct,
        Task? beforeCommit = null)
    {
        await _writeGate.WaitAsync(ct);
        try
        {
            var session = _session ??= await AppendSession.OpenAsync(_database, ct);
            try
            {
                await using var transaction = lockedByWork
                    ? await session.BeginAsync(ct)
                    : await _database.BeginWriteAsync(session.Connection, ct);
                var (result, position) = await work(session, transaction, ct);
                if (beforeCommit is { IsCompletedSuccessfully: false })
                {
                    try
                    {
                        await beforeCommit;
                    }
                    catch (Exception e)
                    {
                        // Nothing is committed: the transaction rolls back as it is disposed, and the session stays sound.
                        throw new BeforeCommitFailedException(e);
                    }
                }
                await transaction.CommitAsync(ct);
                session.Committed();
                if (position != NoLedgerChange)
                {
                    _database.WriterCommitted(position);
                    _projections.Committed(position);
                }
                return result;
            }
            catch (Exception e) when (e is ConcurrencyConflictException or ArgumentException)
            {
                // Refused before anything was written; the transaction rolled back and the session is sound.
                session.RolledBack(outcomeKnown: true);
                _projections.Forget();
                throw;
            }
            catch (BeforeCommitFailedException e)
            {
                session.RolledBack(outcomeKnown: true);
                _projections.Forget();
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException!);
                throw;
            }
            catch
            {
                // The connection's state is unknown (broken, cancelled mid-command): start afresh next time.
                session.RolledBack(outcomeKnown: false);
                _projections.Forget();
                _session = null;
                await session.DisposeAsync();
                throw;
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Whether the statement is one of the projections' own schema statements.</summary>
    internal bool IsProjectionSchema(string statement) => _projections.Projections.Any(p => p.Schema.Contains(statement));

    /// <summary>Runs a schema statement (an index dropped or made) under the write lock, in a transaction of its own.</summary>
    internal Task ExecuteSchemaAsync(string sql, CancellationToken ct) =>
        WriteAsync<bool>(lockedByWork: false, async (session, transaction, token) =>
        {
            await using var command = session.Connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(token);
            return (true, NoLedgerChange);
        }, ct);

    /// <summary>The position a write that appended nothing reports: the projections' position is left as it was.</summary>
    private const long NoLedgerChange = -1;

    internal Task BringProjectionsUpToDateAsync(bool rebuildAll, CancellationToken ct) =>
        WriteAsync<bool>(lockedByWork: false, async (session, transaction, token) =>
            (true, await _projections.BringUpToDateAsync(session.Connection, transaction, session.Statements, rebuildAll, token)), ct);

    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, CancellationToken ct = default)
    {
        await using var connection = await _database.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EventRows.Columns} FROM ledger_events WHERE stream_id = @stream ORDER BY stream_version";
        EventRows.Parameter(command, "@stream", streamId);
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            events.Add(EventRows.Read(reader));
        }
        return events;
    }

    public async Task<(long Version, string? AgencyId)> GetStreamAsync(string streamId, CancellationToken ct = default)
    {
        await using var connection = await _database.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT stream_version, agency_id FROM ledger_events WHERE stream_id = @stream ORDER BY stream_version DESC LIMIT 1";
        EventRows.Parameter(command, "@stream", streamId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetString(1)) : (0, null);
    }

    public async IAsyncEnumerable<StoredEvent> ReadAllAsync(long afterPosition, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = await _database.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EventRows.Columns} FROM ledger_events WHERE position > @after ORDER BY position";
        EventRows.Parameter(command, "@after", afterPosition);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return EventRows.Read(reader);
        }
    }

    public Task<VerifyResult> VerifyAsync(CancellationToken ct = default) =>
        new LedgerVerifier(_database, _keys).VerifyAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _writeGate.WaitAsync();
        try
        {
            if (_session is not null)
            {
                await _session.DisposeAsync();
                _session = null;
            }
            foreach (var hmac in _macs.Values)
            {
                hmac.Dispose();
            }
            _macs.Clear();
        }
        finally
        {
            _writeGate.Release();
        }
        _writeGate.Dispose();
    }

    private static void ValidateAppend(string agencyId, string streamId, long expectedVersion, IReadOnlyList<NewEvent> events, string actor)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (agencyId is null || !AgencyPattern().IsMatch(agencyId))
        {
            // The id names the agency's key file, so it must be a plain slug.
            throw new ArgumentException($"'{agencyId}' is not an agency id (2–63 lower-case letters, digits and hyphens, starting with a letter).", nameof(agencyId));
        }
        RequireText(streamId, nameof(streamId));
        RequireText(actor, nameof(actor));
        if (expectedVersion < ExpectedVersion.Any)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedVersion), expectedVersion, "Expected a stream version, ExpectedVersion.NoStream (0) or ExpectedVersion.Any (-1).");
        }
        if (events.Count == 0)
        {
            throw new ArgumentException("An append needs at least one event.", nameof(events));
        }
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i] ?? throw new ArgumentException($"Event {i} is null.", nameof(events));
            RequireText(e.Type, $"{nameof(events)}[{i}].Type");
            RequireText(e.Payload, $"{nameof(events)}[{i}].Payload");
            if (e.Source is not null)
            {
                // Serialised by this process from a value: JSON by construction.
                continue;
            }
            try
            {
                var reader = new Utf8JsonReader(ChainHash.StrictUtf8.GetBytes(e.Payload));
                while (reader.Read())
                {
                }
            }
            catch (JsonException x)
            {
                throw new ArgumentException($"The payload of event {i} ('{e.Type}') is not valid JSON: {x.Message}", nameof(events), x);
            }
        }
    }

    /// <summary>
    /// Non-empty, no NUL (PostgreSQL text cannot hold it) and valid UTF-16 (a lone surrogate has no UTF-8
    /// form, so the bytes stored would not be the bytes hashed).
    /// </summary>
    private static void RequireText(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"{name} must not be empty.", name);
        }
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{name} must not contain a NUL character.", name);
        }
        try
        {
            _ = ChainHash.StrictUtf8.GetByteCount(value);
        }
        catch (System.Text.EncoderFallbackException x)
        {
            throw new ArgumentException($"{name} is not valid Unicode text (a lone surrogate).", name, x);
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,62}$")]
    private static partial Regex AgencyPattern();
}

/// <summary>What an append waited for before committing failed: the append rolled back, and the caller sees the inner exception.</summary>
internal sealed class BeforeCommitFailedException(Exception inner) : Exception("What the append waited for before committing failed.", inner);
