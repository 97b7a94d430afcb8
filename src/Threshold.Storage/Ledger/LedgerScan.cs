using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Threshold.Storage.Ledger;

/// <summary>
/// Every row of <c>ledger_events</c> in position order, each text column as the bytes the database
/// stores. Spans stay valid until the next <see cref="ReadAsync"/>. Verification reads through this and
/// nothing else, so what it hashes is exactly what is stored.
/// </summary>
internal abstract class LedgerScan : IAsyncDisposable
{
    /// <summary>The columns, in the order both implementations read them.</summary>
    protected const string SelectSql =
        "SELECT position, agency_id, sequence, stream_id, stream_version, event_type, payload, actor, recorded_at, prev_hash, hash " +
        "FROM ledger_events ORDER BY position";

    // The current row lives here, filled by ReadAsync, so that the getters below are plain (inlinable) reads
    // rather than virtual calls: verification calls them for every row.
    private readonly byte[][] _values = [.. Enumerable.Range(0, 11).Select(_ => new byte[64])];
    private readonly int[] _lengths = new int[11];

    /// <summary>Where a column's value is native memory owned by the database library (SQLite): its address, else 0.</summary>
    private readonly nint[] _addresses = new nint[11];

    public abstract ValueTask<bool> ReadAsync(CancellationToken ct);

    public long Position { get; protected set; }

    public long Sequence { get; protected set; }

    public long StreamVersion { get; protected set; }

    public ReadOnlySpan<byte> AgencyId => Value(1);

    public ReadOnlySpan<byte> StreamId => Value(3);

    public ReadOnlySpan<byte> EventType => Value(5);

    public ReadOnlySpan<byte> Payload => Value(6);

    public ReadOnlySpan<byte> Actor => Value(7);

    public ReadOnlySpan<byte> RecordedAt => Value(8);

    public ReadOnlySpan<byte> PreviousHash => Value(9);

    public ReadOnlySpan<byte> Hash => Value(10);

    /// <summary>The text and blob columns, by ordinal in <see cref="SelectSql"/>.</summary>
    protected static ReadOnlySpan<int> ByteColumns => [1, 3, 5, 6, 7, 8, 9, 10];

    /// <summary>A buffer for <paramref name="column"/>'s value of <paramref name="length"/> bytes, to be filled now.</summary>
    protected byte[] Buffer(int column, int length)
    {
        if (_values[column].Length < length)
        {
            _values[column] = new byte[Math.Max(length, _values[column].Length * 2)];
        }
        _lengths[column] = length;
        _addresses[column] = 0;
        return _values[column];
    }

    /// <summary>
    /// Takes the <paramref name="length"/> bytes at <paramref name="address"/> as <paramref name="column"/>'s value,
    /// without copying: the memory must stay valid and unchanged until the next <see cref="ReadAsync"/>.
    /// </summary>
    protected void SetNative(int column, nint address, int length)
    {
        if (address == 0 || length == 0)
        {
            Buffer(column, 0);
            return;
        }
        _addresses[column] = address;
        _lengths[column] = length;
    }

    /// <summary>Takes <paramref name="value"/> as <paramref name="column"/>'s value (no copy).</summary>
    protected void Set(int column, byte[] value)
    {
        _values[column] = value;
        _lengths[column] = value.Length;
        _addresses[column] = 0;
    }

    private ReadOnlySpan<byte> Value(int column) =>
        _addresses[column] is var address and not 0
            ? MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AddByteOffset(ref Unsafe.NullRef<byte>(), address), _lengths[column])
            : new(_values[column], 0, _lengths[column]);

    public abstract ValueTask DisposeAsync();
}

/// <summary>
/// SQLite through its C API, on the snapshot's own connection (see <see cref="SqliteLedgerSnapshot"/>).
/// <para>SQLitePCL's column calls each marshal a SafeHandle, which made reading a row cost more than
/// hashing it. The handful of column getters used here are called directly in the same native library
/// (<c>e_sqlite3</c>, which SQLitePCL has already loaded) with blittable arguments and no GC transition:
/// they only read the current row. Where that library is not the one in use, SQLitePCL's calls serve.</para>
/// </summary>
internal sealed class SqliteLedgerScan : LedgerScan
{
    private static bool s_nativeUsable = true;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteLedgerScan(sqlite3 db)
    {
        _db = db;
        // sqlite3_column_blob returns a TEXT value's stored UTF-8 bytes as they are: no CAST needed.
        var rc = raw.sqlite3_prepare_v2(_db, SelectSql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public override ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var rc = s_nativeUsable ? Step() : raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_DONE)
        {
            return ValueTask.FromResult(false);
        }
        if (rc != raw.SQLITE_ROW)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        if (s_nativeUsable)
        {
            try
            {
                ReadRowNative(_statement.DangerousGetHandle());
                return ValueTask.FromResult(true);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                s_nativeUsable = false;
            }
        }
        ReadRowThroughSqlitePcl();
        return ValueTask.FromResult(true);
    }

    private int Step()
    {
        try
        {
            return SqliteNative.Step(_statement.DangerousGetHandle());
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_nativeUsable = false;
            return raw.sqlite3_step(_statement);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadRowNative(IntPtr statement)
    {
        Position = SqliteNative.ColumnInt64(statement, 0);
        Sequence = SqliteNative.ColumnInt64(statement, 2);
        StreamVersion = SqliteNative.ColumnInt64(statement, 4);
        foreach (var column in ByteColumns)
        {
            // Blob first, then its byte count: the order SQLite documents as safe. The bytes are SQLite's own
            // (valid until the next step, which comes only with the next ReadAsync), read where they lie: the
            // verifier copies each row once, into the hash pipeline, and keeps no span beyond the row.
            var pointer = SqliteNative.ColumnBlob(statement, column);
            var length = SqliteNative.ColumnBytes(statement, column);
            SetNative(column, pointer, length);
        }
    }

    private void ReadRowThroughSqlitePcl()
    {
        Position = raw.sqlite3_column_int64(_statement, 0);
        Sequence = raw.sqlite3_column_int64(_statement, 2);
        StreamVersion = raw.sqlite3_column_int64(_statement, 4);
        foreach (var column in ByteColumns)
        {
            var value = raw.sqlite3_column_blob(_statement, column);
            value.CopyTo(Buffer(column, value.Length));
        }
    }

    public override ValueTask DisposeAsync()
    {
        _statement.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Column getters of the bundled SQLite library. They read the current row only: no blocking, no callbacks.</summary>
    private static class SqliteNative
    {
        private const string Library = "e_sqlite3";

        // Not SuppressGCTransition: a step may read from disk.
        [DllImport(Library, EntryPoint = "sqlite3_step")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Step(IntPtr statement);

        [DllImport(Library, EntryPoint = "sqlite3_column_blob"), SuppressGCTransition]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern IntPtr ColumnBlob(IntPtr statement, int column);

        [DllImport(Library, EntryPoint = "sqlite3_column_bytes"), SuppressGCTransition]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int ColumnBytes(IntPtr statement, int column);

        [DllImport(Library, EntryPoint = "sqlite3_column_int64"), SuppressGCTransition]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern long ColumnInt64(IntPtr statement, int column);
    }
}

/// <summary>
/// Through ADO.NET (PostgreSQL). Npgsql reads a text column as byte[]: the bytes the server sends, which in
/// a UTF8 database with client_encoding UTF8 (Npgsql's) are the stored bytes, converted nowhere.
/// </summary>
internal sealed class AdoLedgerScan : LedgerScan
{
    private readonly DbCommand _command;
    private DbDataReader? _reader;
    public AdoLedgerScan(DbConnection connection, DbTransaction transaction)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = SelectSql;
    }

    public override async ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        _reader ??= await _command.ExecuteReaderAsync(ct);
        if (!await _reader.ReadAsync(ct))
        {
            return false;
        }
        Position = _reader.GetInt64(0);
        Sequence = _reader.GetInt64(2);
        StreamVersion = _reader.GetInt64(4);
        foreach (var column in ByteColumns)
        {
            Set(column, _reader.GetFieldValue<byte[]>(column));
        }
        return true;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_reader is not null)
        {
            await _reader.DisposeAsync();
        }
        await _command.DisposeAsync();
    }
}
