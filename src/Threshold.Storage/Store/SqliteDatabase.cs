using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Threshold.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, so a CLI command and a running server can share it
/// (readers never block the writer; writers wait for each other through busy_timeout).
/// </summary>
internal sealed class SqliteDatabase : StoreDatabase
{
    /// <summary>SQLITE_CONSTRAINT_UNIQUE.</summary>
    private const int UniqueViolation = 2067;

    private readonly string _connectionString;

    public SqliteDatabase(string filePath)
    {
        FilePath = Path.GetFullPath(filePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string FilePath { get; }

    public override StoreKind Kind => StoreKind.Sqlite;

    public override string Description => $"SQLite {FilePath}";

    public override async Task<DbConnection> OpenConnectionAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            // Per-connection settings. A pooled connection keeps them, but setting them again costs
            // microseconds and keeps this correct for connections the pool has just created.
            // busy_timeout: a second process (CLI beside the server) waits for the write lock instead of failing.
            // synchronous=NORMAL: in WAL mode a commit survives a process crash; only an OS crash or power
            // loss can lose the last commits, and never corrupts the file.
            // wal_autocheckpoint=10000 pages (40 MB of WAL): an append rewrites the same few pages (table tail,
            // two index leaves, the checkpoint row) on every commit, so copying them back to the database less
            // often (each copy ends in an fsync) saves more than it costs readers.
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 10000;";
            await command.ExecuteNonQueryAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The writer leaves copying the WAL back into the database (a checkpoint, ending in an fsync) to a
    /// checkpointer on another thread and connection: an import's writer no longer stops every few batches to
    /// copy tens of megabytes. A passive checkpoint never blocks the writer or a reader. One starts after a
    /// commit once 4,096 events have been written since the last, or a second has passed (so a server whose
    /// every audited read is a commit runs at most one a second, not one per request). Fewer checkpoints copy
    /// the pages every commit touches (table tails, index leaves) fewer times: at 512 events an import wrote
    /// 7 % more and spent 8 % more CPU a message. Should the
    /// checkpointer fall behind or fail, the writer's own checkpoint at 128 MB of WAL is the backstop (other
    /// connections keep theirs at 40 MB).
    /// </summary>
    public override async Task PrepareWriterAsync(DbConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_autocheckpoint = 32768;";
        await command.ExecuteNonQueryAsync(ct);
    }

    private const int CheckpointEvents = 4096;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);
    private readonly Lock _checkpointGate = new();
    private Task _checkpointer = Task.CompletedTask;
    private long _checkpointedFrom;
    private long _checkpointStarted;

    public override void WriterCommitted(long position)
    {
        lock (_checkpointGate)
        {
            if (!_checkpointer.IsCompleted
                || (position - _checkpointedFrom < CheckpointEvents && Stopwatch.GetElapsedTime(_checkpointStarted) < CheckpointInterval))
            {
                return;
            }
            _checkpointedFrom = position;
            _checkpointStarted = Stopwatch.GetTimestamp();
            // On a thread of its own: a checkpoint ends in an fsync, and a pool thread held for it is one the import's
            // readers cannot use (with the fsyncs off the pool, an import kept 1.7 cores busy instead of 1.6).
            _checkpointer = Task.Factory.StartNew(Checkpoint, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    private void Checkpoint()
    {
        try
        {
            // SQLite's calls are synchronous under their Task signatures: nothing here waits on another thread.
            using var connection = OpenConnectionAsync(CancellationToken.None).GetAwaiter().GetResult();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            command.ExecuteNonQuery();
        }
        catch (Exception e) when (e is SqliteException or IOException or InvalidOperationException)
        {
            // Nothing is lost: the frames stay in the WAL, and a later checkpoint or the writer's backstop copies them.
        }
    }

    public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        // BEGIN IMMEDIATE: takes the database's write lock now, before the heads are read.
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override Task<Ledger.LedgerSnapshot> OpenSnapshotAsync(CancellationToken ct) =>
        Task.FromResult<Ledger.LedgerSnapshot>(Ledger.SqliteLedgerSnapshot.Open(FilePath));

    public override bool IsStreamVersionClash(Exception error) =>
        error is SqliteException { SqliteExtendedErrorCode: UniqueViolation } e
        && e.Message.Contains("ledger_events.stream_id", StringComparison.Ordinal);

    public override async Task InitialiseAsync(CancellationToken ct)
    {
        await using var connection = await OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        // WAL is a property of the file: set once, it stays for every later connection. So is the page size, taken
        // only by a new file: 8 KB pages halve the WAL frames (two writes each) a commit makes; a 100,000-message
        // import ran 5-8 % faster, the ledger's own appends and verify as fast as on 4 KB pages.
        command.CommandText = "PRAGMA page_size = 8192; PRAGMA journal_mode = WAL;";
        var mode = (string?)await command.ExecuteScalarAsync(ct);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreUnavailableException($"Cannot put the SQLite database '{FilePath}' in WAL mode (it stays in '{mode}' mode).");
        }
    }

    public override string DescribeOpenFailure(Exception error) => error switch
    {
        SqliteException e => $"Cannot open the SQLite database '{FilePath}': {SqliteReason(e)}.",
        _ => $"Cannot open the SQLite database '{FilePath}': {error.Message.TrimEnd('.')}.",
    };

    private static string SqliteReason(SqliteException e)
    {
        // "SQLite Error 26: 'file is not a database'." → "file is not a database"
        var message = e.Message;
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = message.LastIndexOf('\'');
        return start >= 0 && end > start ? message[(start + 1)..end] : message.TrimEnd('.');
    }

    public override IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "ledger_events", """
            CREATE TABLE ledger_events (
                position       INTEGER PRIMARY KEY,
                agency_id      TEXT    NOT NULL,
                sequence       INTEGER NOT NULL,
                stream_id      TEXT    NOT NULL,
                stream_version INTEGER NOT NULL,
                event_type     TEXT    NOT NULL,
                payload        TEXT    NOT NULL,
                actor          TEXT    NOT NULL,
                recorded_at    TEXT    NOT NULL,
                prev_hash      BLOB    NOT NULL,
                hash           BLOB    NOT NULL,
                CONSTRAINT ledger_events_chain_key UNIQUE (agency_id, sequence),
                CONSTRAINT ledger_events_stream_key UNIQUE (stream_id, stream_version)
            );
            CREATE TRIGGER ledger_events_refuse_update BEFORE UPDATE ON ledger_events
            BEGIN
                SELECT RAISE(ABORT, 'ledger_events is append-only');
            END;
            CREATE TRIGGER ledger_events_refuse_delete BEFORE DELETE ON ledger_events
            BEGIN
                SELECT RAISE(ABORT, 'ledger_events is append-only');
            END;
            """),
        new(2, "ledger_checkpoints", """
            CREATE TABLE ledger_checkpoints (
                agency_id TEXT    PRIMARY KEY,
                sequence  INTEGER NOT NULL,
                head_hash BLOB    NOT NULL,
                signed_at TEXT    NOT NULL,
                signature BLOB    NOT NULL
            );
            """),
        new(3, "projection_state", """
            CREATE TABLE projection_state (
                name     TEXT    PRIMARY KEY,
                version  INTEGER NOT NULL,
                position INTEGER NOT NULL
            );
            """),
    ];

    public override async ValueTask DisposeAsync()
    {
        Task checkpointer;
        lock (_checkpointGate)
        {
            checkpointer = _checkpointer;
        }
        await checkpointer;
        // Close this file's pooled connections so the file is released when the store is.
        await using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
