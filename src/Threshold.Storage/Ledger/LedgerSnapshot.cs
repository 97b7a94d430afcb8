using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Threshold.Storage.Ledger;

/// <summary>
/// A read-only view of the ledger at one instant, for verification: the checkpoints, every row in
/// position order (<see cref="LedgerScan"/>), and the two look-ups that explain a problem. Everything read
/// through one snapshot agrees, so an append committed meanwhile cannot make a chain look truncated.
/// </summary>
internal abstract class LedgerSnapshot : IAsyncDisposable
{
    public sealed record Checkpoint(long Sequence, byte[] HeadHash, byte[] Mac);

    public abstract Task<Dictionary<string, Checkpoint>> ReadCheckpointsAsync(CancellationToken ct);

    /// <summary>Every row in position order. One scan at a time.</summary>
    public abstract LedgerScan Scan();

    /// <summary>Names the row at <paramref name="position"/>.</summary>
    public abstract Task<StoredEventRef> RowAtAsync(long position, CancellationToken ct);

    /// <summary>Where the chain's row with <paramref name="sequence"/> is, if anywhere.</summary>
    public abstract Task<long?> PositionOfAsync(string agencyId, long sequence, CancellationToken ct);

    public abstract ValueTask DisposeAsync();

    protected const string CheckpointsSql = "SELECT agency_id, sequence, head_hash, signature FROM ledger_checkpoints";
    protected const string RowAtSql = "SELECT agency_id, sequence, stream_id, stream_version FROM ledger_events WHERE position = @position";
    protected const string PositionOfSql = "SELECT position FROM ledger_events WHERE agency_id = @agency AND sequence = @sequence ORDER BY position LIMIT 1";
}

/// <summary>A snapshot through ADO.NET (PostgreSQL): a read-only REPEATABLE READ transaction.</summary>
internal sealed class AdoLedgerSnapshot(DbConnection connection, DbTransaction transaction) : LedgerSnapshot
{
    public override async Task<Dictionary<string, Checkpoint>> ReadCheckpointsAsync(CancellationToken ct)
    {
        await using var command = Command(CheckpointsSql);
        var checkpoints = new Dictionary<string, Checkpoint>(StringComparer.Ordinal);
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            checkpoints[r.GetString(0)] = new Checkpoint(r.GetInt64(1), r.GetFieldValue<byte[]>(2), r.GetFieldValue<byte[]>(3));
        }
        return checkpoints;
    }

    public override LedgerScan Scan() => new AdoLedgerScan(connection, transaction);

    public override async Task<StoredEventRef> RowAtAsync(long position, CancellationToken ct)
    {
        await using var command = Command(RowAtSql);
        EventRows.Parameter(command, "@position", position);
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new StoredEventRef(r.GetString(0), r.GetInt64(1), position, r.GetString(2), r.GetInt64(3))
            : throw new InvalidOperationException($"Position {position} vanished within the verify snapshot.");
    }

    public override async Task<long?> PositionOfAsync(string agencyId, long sequence, CancellationToken ct)
    {
        await using var command = Command(PositionOfSql);
        EventRows.Parameter(command, "@agency", agencyId);
        EventRows.Parameter(command, "@sequence", sequence);
        return await command.ExecuteScalarAsync(ct) is long position ? position : null;
    }

    public override async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }

    private DbCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}

/// <summary>
/// A snapshot of the SQLite file through its own connection: read-only, and opened without SQLite's
/// per-connection mutex (only one thread uses it at a time), which every column read would otherwise take.
/// Pages are read through a memory map rather than a system call each. The read transaction begun here
/// fixes the snapshot at the first read.
/// </summary>
internal sealed class SqliteLedgerSnapshot : LedgerSnapshot
{
    /// <summary>Address space to map, not memory: pages come from the OS cache as they are touched.</summary>
    private const long MapBytes = 1L << 30;

    private readonly sqlite3 _db;

    private SqliteLedgerSnapshot(sqlite3 db) => _db = db;

    public static SqliteLedgerSnapshot Open(string path)
    {
        var rc = raw.sqlite3_open_v2(path, out var db, raw.SQLITE_OPEN_READONLY | raw.SQLITE_OPEN_NOMUTEX, null);
        try
        {
            SqliteException.ThrowExceptionForRC(rc, db);
            raw.sqlite3_busy_timeout(db, 10_000);
            Check(raw.sqlite3_exec(db, $"PRAGMA mmap_size = {MapBytes}; BEGIN;"), db);
            return new SqliteLedgerSnapshot(db);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    public override Task<Dictionary<string, Checkpoint>> ReadCheckpointsAsync(CancellationToken ct)
    {
        using var statement = Prepare(CheckpointsSql);
        var checkpoints = new Dictionary<string, Checkpoint>(StringComparer.Ordinal);
        while (Step(statement))
        {
            checkpoints[raw.sqlite3_column_text(statement, 0).utf8_to_string()] = new Checkpoint(
                raw.sqlite3_column_int64(statement, 1),
                raw.sqlite3_column_blob(statement, 2).ToArray(),
                raw.sqlite3_column_blob(statement, 3).ToArray());
        }
        return Task.FromResult(checkpoints);
    }

    public override LedgerScan Scan() => new SqliteLedgerScan(_db);

    public override Task<StoredEventRef> RowAtAsync(long position, CancellationToken ct)
    {
        using var statement = Prepare(RowAtSql);
        Check(raw.sqlite3_bind_int64(statement, 1, position), _db);
        return Step(statement)
            ? Task.FromResult(new StoredEventRef(
                raw.sqlite3_column_text(statement, 0).utf8_to_string(), raw.sqlite3_column_int64(statement, 1), position,
                raw.sqlite3_column_text(statement, 2).utf8_to_string(), raw.sqlite3_column_int64(statement, 3)))
            : throw new InvalidOperationException($"Position {position} vanished within the verify snapshot.");
    }

    public override Task<long?> PositionOfAsync(string agencyId, long sequence, CancellationToken ct)
    {
        using var statement = Prepare(PositionOfSql);
        Check(raw.sqlite3_bind_text(statement, 1, agencyId), _db);
        Check(raw.sqlite3_bind_int64(statement, 2, sequence), _db);
        return Task.FromResult<long?>(Step(statement) ? raw.sqlite3_column_int64(statement, 0) : null);
    }

    public override ValueTask DisposeAsync()
    {
        raw.sqlite3_exec(_db, "COMMIT;");
        _db.Dispose();
        return ValueTask.CompletedTask;
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_db, sql, out var statement), _db);
        return statement;
    }

    private bool Step(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        if (rc is not (raw.SQLITE_ROW or raw.SQLITE_DONE))
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        return rc == raw.SQLITE_ROW;
    }

    private static void Check(int rc, sqlite3 db) => SqliteException.ThrowExceptionForRC(rc, db);
}
