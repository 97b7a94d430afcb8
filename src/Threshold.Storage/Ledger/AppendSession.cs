using System.Data;
using System.Data.Common;

namespace Threshold.Storage.Ledger;

/// <summary>
/// The writer's connection and its prepared statements, kept open between appends. All appends are
/// serialised anyway (one at a time in this process; the database's write lock across processes), so
/// one connection loses no concurrency and saves the open and the statement preparation on every append.
/// </summary>
internal sealed class AppendSession : IAsyncDisposable
{
    /// <summary>
    /// The last position overall, the stream's version and owner, and the agency chain's head, in one
    /// round trip. Each sub-select is a descent of a unique index.
    /// </summary>
    private const string HeadsSql = """
        SELECT (SELECT position FROM ledger_events ORDER BY position DESC LIMIT 1),
               (SELECT stream_version FROM ledger_events WHERE stream_id = @stream ORDER BY stream_version DESC LIMIT 1),
               (SELECT agency_id FROM ledger_events WHERE stream_id = @stream ORDER BY stream_version DESC LIMIT 1),
               (SELECT sequence FROM ledger_events WHERE agency_id = @agency ORDER BY sequence DESC LIMIT 1),
               (SELECT hash FROM ledger_events WHERE agency_id = @agency ORDER BY sequence DESC LIMIT 1)
        """;

    /// <summary>A stream's version and owner alone: what an append still has to read when it knows the other heads.</summary>
    private const string StreamSql = "SELECT stream_version, agency_id FROM ledger_events WHERE stream_id = @stream ORDER BY stream_version DESC LIMIT 1";

    private const string InsertSql = """
        INSERT INTO ledger_events (position, agency_id, sequence, stream_id, stream_version, event_type, payload, actor, recorded_at, prev_hash, hash)
        VALUES (@position, @agency, @sequence, @stream, @version, @type, @payload, @actor, @recorded_at, @prev_hash, @hash)
        """;

    private const string CheckpointSql = """
        INSERT INTO ledger_checkpoints (agency_id, sequence, head_hash, signed_at, signature)
        VALUES (@agency, @sequence, @head_hash, @signed_at, @signature)
        ON CONFLICT (agency_id) DO UPDATE SET
            sequence = excluded.sequence, head_hash = excluded.head_hash,
            signed_at = excluded.signed_at, signature = excluded.signature
        """;

    /// <summary>
    /// SQLite: a number that changes whenever another connection commits to the file (this connection's own
    /// commits leave it alone). While it stands still, the heads this session last read or wrote are still
    /// the heads, and an append can skip the heads query.
    /// </summary>
    private const string DataVersionSql = "PRAGMA data_version";

    /// <summary>Streams remembered at most; past this the stream memory starts afresh (chains are few and all kept).</summary>
    private const int MaxRememberedStreams = 50_000;

    private readonly StoreDatabase _database;
    private readonly DbCommand _heads;
    private readonly DbCommand? _dataVersion;
    private readonly DbCommand? _stream;
    private readonly DbCommand _insert;
    private readonly DbCommand _checkpoint;

    private AppendSession(StoreDatabase database, DbConnection connection)
    {
        _database = database;
        Connection = connection;
        // Where the lock is a statement (PostgreSQL), it travels in the same round trip as the heads query,
        // and runs first: the heads are read under the lock.
        var headsSql = database.WriteLockStatement is { } lockStatement ? $"{lockStatement};\n{HeadsSql}" : HeadsSql;
        _heads = StoreDatabase.Command(connection, headsSql, ("@stream", DbType.String), ("@agency", DbType.String));
        _insert = StoreDatabase.Command(connection, InsertSql,
            ("@position", DbType.Int64), ("@agency", DbType.String), ("@sequence", DbType.Int64), ("@stream", DbType.String),
            ("@version", DbType.Int64), ("@type", DbType.String), ("@payload", DbType.String), ("@actor", DbType.String),
            ("@recorded_at", DbType.String), ("@prev_hash", DbType.Binary), ("@hash", DbType.Binary));
        _checkpoint = StoreDatabase.Command(connection, CheckpointSql,
            ("@agency", DbType.String), ("@sequence", DbType.Int64), ("@head_hash", DbType.Binary),
            ("@signed_at", DbType.String), ("@signature", DbType.Binary));
        if (database.Kind == StoreKind.Sqlite)
        {
            Statements = new SqliteStatements((Microsoft.Data.Sqlite.SqliteConnection)connection);
            _dataVersion = StoreDatabase.Command(connection, DataVersionSql);
            _stream = StoreDatabase.Command(connection, StreamSql, ("@stream", DbType.String));
        }
    }

    // What this session knows of the ledger as of data version _knownVersion (SQLite only): the last position,
    // each chain's head and each stream's version and owner (version 0, owner null: known not to exist).
    private long _knownVersion = -1;
    private long _lastPosition = -1;
    private readonly Dictionary<string, (long Sequence, byte[]? Head)> _chains = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Version, string? Agency)> _streams = new(StringComparer.Ordinal);

    /// <summary>What the append in progress will have made the heads, applied only once it has committed.</summary>
    private (string Agency, string Stream, long Position, long Sequence, byte[] Head, long Version)? _staged;

    public DbConnection Connection { get; }

    /// <summary>SQLite: the writer's statements run through SQLite's C API (see <see cref="SqliteStatements"/>); null on PostgreSQL.</summary>
    public SqliteStatements? Statements { get; }

    public static async Task<AppendSession> OpenAsync(StoreDatabase database, CancellationToken ct)
    {
        var connection = await database.OpenConnectionAsync(ct);
        var session = new AppendSession(database, connection);
        try
        {
            await database.PrepareWriterAsync(connection, ct);
            await session._heads.PrepareAsync(ct);
            if (session._dataVersion is not null)
            {
                await session._dataVersion.PrepareAsync(ct);
                await session._stream!.PrepareAsync(ct);
            }
            await session._insert.PrepareAsync(ct);
            await session._checkpoint.PrepareAsync(ct);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// True when the database takes a batch of statements in one round trip (PostgreSQL): an append then
    /// sends its rows and its checkpoint together. SQLite runs in-process, where a statement costs no trip.
    /// </summary>
    public bool WritesInOneBatch => Connection.CanCreateBatch;

    /// <summary>
    /// Begins an append's transaction. The write lock is taken by BEGIN itself (SQLite) or by the first
    /// statement of <see cref="ReadHeadsAsync"/> (PostgreSQL), which must follow at once.
    /// </summary>
    public async Task<DbTransaction> BeginAsync(CancellationToken ct) =>
        _database.WriteLockStatement is null
            ? await _database.BeginWriteAsync(Connection, ct)
            : await Connection.BeginTransactionAsync(ct);

    public async Task<ChainHeads> ReadHeadsAsync(DbTransaction transaction, string agencyId, string streamId, CancellationToken ct)
    {
        _staged = null;
        if (_dataVersion is not null)
        {
            // Under the write lock (BEGIN IMMEDIATE), so no commit can slip in between this check and the append.
            _dataVersion.Transaction = transaction;
            var version = (long)(await _dataVersion.ExecuteScalarAsync(ct))!;
            if (version != _knownVersion)
            {
                Forget();
                _knownVersion = version;
            }
            else if (_lastPosition >= 0 && _chains.TryGetValue(agencyId, out var chain))
            {
                if (!_streams.TryGetValue(streamId, out var stream))
                {
                    // A stream not met yet (often a new one): its own index seek, not the whole heads query.
                    _stream!.Transaction = transaction;
                    _stream.Parameters[0].Value = streamId;
                    await using (var r = await _stream.ExecuteReaderAsync(ct))
                    {
                        stream = await r.ReadAsync(ct) ? (r.GetInt64(0), r.GetString(1)) : (0, null);
                    }
                    Remember(streamId, stream.Version, stream.Agency);
                }
                return new ChainHeads(_lastPosition, stream.Version, stream.Agency, chain.Sequence, chain.Head);
            }
        }

        _heads.Transaction = transaction;
        _heads.Parameters[0].Value = streamId;
        _heads.Parameters[1].Value = agencyId;
        ChainHeads heads;
        await using (var r = await _heads.ExecuteReaderAsync(ct))
        {
            if (_database.WriteLockStatement is not null)
            {
                await r.NextResultAsync(ct);
            }
            await r.ReadAsync(ct);
            heads = new ChainHeads(
                LastPosition: r.IsDBNull(0) ? 0 : r.GetInt64(0),
                StreamVersion: r.IsDBNull(1) ? 0 : r.GetInt64(1),
                StreamAgency: r.IsDBNull(2) ? null : r.GetString(2),
                ChainSequence: r.IsDBNull(3) ? 0 : r.GetInt64(3),
                ChainHead: r.IsDBNull(4) ? null : r.GetFieldValue<byte[]>(4));
        }
        if (_dataVersion is not null)
        {
            _lastPosition = heads.LastPosition;
            _chains[agencyId] = (heads.ChainSequence, heads.ChainHead);
            Remember(streamId, heads.StreamVersion, heads.StreamAgency);
        }
        return heads;
    }

    /// <summary>Notes what the append in progress writes; it becomes what the session knows once it commits.</summary>
    public void Stage(string agencyId, string streamId, long lastPosition, long sequence, byte[] head, long streamVersion) =>
        _staged = (agencyId, streamId, lastPosition, sequence, head, streamVersion);

    /// <summary>The append's transaction committed: its rows are now the heads (this connection's commit leaves the data version alone).</summary>
    public void Committed()
    {
        if (_staged is { } s && _dataVersion is not null && _lastPosition >= 0)
        {
            _lastPosition = s.Position;
            _chains[s.Agency] = (s.Sequence, s.Head);
            Remember(s.Stream, s.Version, s.Agency);
        }
        _staged = null;
    }

    /// <summary>The transaction rolled back, or its outcome is unknown: drop the staged heads, and everything when unsure.</summary>
    public void RolledBack(bool outcomeKnown)
    {
        _staged = null;
        if (!outcomeKnown)
        {
            Forget();
        }
    }

    private void Remember(string streamId, long version, string? agencyId)
    {
        if (_streams.Count >= MaxRememberedStreams && !_streams.ContainsKey(streamId))
        {
            _streams.Clear();
        }
        _streams[streamId] = (version, agencyId);
    }

    private void Forget()
    {
        _knownVersion = -1;
        _lastPosition = -1;
        _chains.Clear();
        _streams.Clear();
    }

    public async Task InsertAsync(DbTransaction transaction, StoredEvent e, CancellationToken ct)
    {
        if (Statements is not null && Statements.TryExecute(InsertSql, [
                ("@position", e.Position), ("@agency", e.AgencyId), ("@sequence", e.Sequence), ("@stream", e.StreamId),
                ("@version", e.StreamVersion), ("@type", e.Type), ("@payload", e.Payload), ("@actor", e.Actor),
                ("@recorded_at", e.RecordedAt), ("@prev_hash", e.PreviousHash), ("@hash", e.Hash)], out _))
        {
            return;
        }
        _insert.Transaction = transaction;
        var p = _insert.Parameters;
        p[0].Value = e.Position;
        p[1].Value = e.AgencyId;
        p[2].Value = e.Sequence;
        p[3].Value = e.StreamId;
        p[4].Value = e.StreamVersion;
        p[5].Value = e.Type;
        p[6].Value = e.Payload;
        p[7].Value = e.Actor;
        p[8].Value = e.RecordedAt;
        p[9].Value = e.PreviousHash;
        p[10].Value = e.Hash;
        await _insert.ExecuteNonQueryAsync(ct);
    }

    public async Task WriteCheckpointAsync(
        DbTransaction transaction, string agencyId, long sequence, byte[] headHash, string signedAt, byte[] mac, CancellationToken ct)
    {
        _checkpoint.Transaction = transaction;
        var p = _checkpoint.Parameters;
        p[0].Value = agencyId;
        p[1].Value = sequence;
        p[2].Value = headHash;
        p[3].Value = signedAt;
        p[4].Value = mac;
        await _checkpoint.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Writes the rows and the checkpoint as one batch: one round trip for the whole append.</summary>
    public async Task WriteBatchAsync(
        DbTransaction transaction, IReadOnlyList<StoredEvent> events, string agencyId, long sequence, byte[] headHash,
        string signedAt, byte[] mac, CancellationToken ct)
    {
        await using var batch = Connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var e in events)
        {
            batch.BatchCommands.Add(BatchCommand(batch, InsertSql,
                ("@position", DbType.Int64, e.Position), ("@agency", DbType.String, e.AgencyId), ("@sequence", DbType.Int64, e.Sequence),
                ("@stream", DbType.String, e.StreamId), ("@version", DbType.Int64, e.StreamVersion), ("@type", DbType.String, e.Type),
                ("@payload", DbType.String, e.Payload), ("@actor", DbType.String, e.Actor), ("@recorded_at", DbType.String, e.RecordedAt),
                ("@prev_hash", DbType.Binary, e.PreviousHash), ("@hash", DbType.Binary, e.Hash)));
        }
        batch.BatchCommands.Add(BatchCommand(batch, CheckpointSql,
            ("@agency", DbType.String, agencyId), ("@sequence", DbType.Int64, sequence), ("@head_hash", DbType.Binary, headHash),
            ("@signed_at", DbType.String, signedAt), ("@signature", DbType.Binary, mac)));
        // The statements were prepared on this connection by the first append; preparing again costs no trip.
        await batch.PrepareAsync(ct);
        await batch.ExecuteNonQueryAsync(ct);
    }

    private static DbBatchCommand BatchCommand(DbBatch batch, string sql, params (string Name, DbType Type, object Value)[] parameters)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        foreach (var (name, type, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.DbType = type;
            p.Value = value;
            command.Parameters.Add(p);
        }
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        await _heads.DisposeAsync();
        if (_dataVersion is not null)
        {
            await _dataVersion.DisposeAsync();
            await _stream!.DisposeAsync();
        }
        await _insert.DisposeAsync();
        await _checkpoint.DisposeAsync();
        Statements?.Dispose();
        await Connection.DisposeAsync();
    }
}

/// <summary>What an append reads under the write lock before it writes.</summary>
/// <param name="LastPosition">The highest position in the ledger (0 when empty).</param>
/// <param name="StreamVersion">The stream's version (0 when it does not exist).</param>
/// <param name="StreamAgency">The agency that owns the stream (null when it does not exist).</param>
/// <param name="ChainSequence">The sequence of the agency chain's last event (0 when the chain is empty).</param>
/// <param name="ChainHead">The hash of that event (null when the chain is empty).</param>
internal readonly record struct ChainHeads(long LastPosition, long StreamVersion, string? StreamAgency, long ChainSequence, byte[]? ChainHead);
