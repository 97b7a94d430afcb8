using System.Data.Common;

namespace Threshold.Storage.Ledger;

/// <summary>An event to append: its type name and its body as JSON text (stored byte for byte in <c>payload</c>).</summary>
public sealed record NewEvent(string Type, string Payload)
{
    /// <summary>
    /// The in-memory value <see cref="Payload"/> was serialised from, when there is one. Never stored:
    /// it rides along to this process's projections, which then need not parse what was just written.
    /// </summary>
    public object? Source { get; init; }
}

/// <summary>
/// One row of <c>ledger_events</c>, exactly as stored.
/// <para><see cref="Position"/> is the global order of all appends (projections catch up by it);
/// <see cref="Sequence"/> is the 1-based place in the agency's hash chain;
/// <see cref="StreamVersion"/> the 1-based place in its stream.</para>
/// </summary>
public sealed record StoredEvent(
    long Position,
    string AgencyId,
    long Sequence,
    string StreamId,
    long StreamVersion,
    string Type,
    string Payload,
    string Actor,
    string RecordedAt,
    byte[] PreviousHash,
    byte[] Hash)
{
    public DateTimeOffset RecordedAtTime => DateTimeOffset.Parse(RecordedAt, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The appended <see cref="NewEvent.Source"/>, only on the append that wrote this row; null when read back.</summary>
    public object? Source { get; init; }
}

/// <summary>The version a writer believes a stream has: a number, or one of these markers.</summary>
public static class ExpectedVersion
{
    /// <summary>The stream must not exist yet.</summary>
    public const long NoStream = 0;

    /// <summary>Append whatever the version (only for streams that are logs by nature, such as the audit trail).</summary>
    public const long Any = -1;
}

public sealed record AppendResult(long FirstPosition, long LastPosition, long StreamVersion);

/// <summary>Thrown when an append's expected version is not the stream's version. Nothing was written.</summary>
public sealed class ConcurrencyConflictException : Exception
{
    public ConcurrencyConflictException(string streamId, long expected, long actual)
        : base($"Stream '{streamId}' is at version {actual}, not {expected}: someone else changed it first. Reload and try again.")
    {
        StreamId = streamId;
        Expected = expected;
        Actual = actual;
    }

    public ConcurrencyConflictException() : this("?", 0, 0) { }

    public ConcurrencyConflictException(string message) : base(message) { StreamId = "?"; }

    public ConcurrencyConflictException(string message, Exception innerException) : base(message, innerException) { StreamId = "?"; }

    public string StreamId { get; } = "?";
    public long Expected { get; }
    public long Actual { get; }
}

/// <summary>The outcome of walking every chain and its checkpoints (HMAC-SHA256 under each agency's key).</summary>
public sealed record VerifyResult(bool Intact, long EventCount, int ChainCount, string? FirstProblem, StoredEventRef? FirstBadEvent)
{
    public static VerifyResult Ok(long events, int chains) => new(true, events, chains, null, null);
}

/// <summary>Names a row well enough for an operator to find it.</summary>
public sealed record StoredEventRef(string AgencyId, long Sequence, long? Position, string? StreamId, long? StreamVersion)
{
    public override string ToString() =>
        $"agency '{AgencyId}' sequence {Sequence}" + (StreamId is null ? "" : $" (stream '{StreamId}' version {StreamVersion}, position {Position})");
}

/// <summary>
/// A read model kept from the ledger. Its tables are written only by <see cref="ApplyAsync"/>,
/// inside the append's own transaction, and can be dropped and rebuilt from the events at any time
/// (bump <see cref="Version"/> to make the store rebuild it on start).
/// SQL must be portable between SQLite and PostgreSQL: <c>@name</c> parameters, TEXT/BIGINT/INTEGER
/// columns, <c>INSERT … ON CONFLICT … DO UPDATE</c>.
/// </summary>
public interface IProjection
{
    string Name { get; }

    int Version { get; }

    /// <summary><c>CREATE TABLE IF NOT EXISTS</c> / <c>CREATE INDEX IF NOT EXISTS</c> statements.</summary>
    IReadOnlyList<string> Schema { get; }

    /// <summary>The tables <see cref="Schema"/> makes: dropped and made again from it before a rebuild.</summary>
    IReadOnlyList<string> Tables { get; }

    Task ApplyAsync(StoredEvent e, ProjectionWriter writer, CancellationToken ct);
}

/// <summary>Executes projection SQL on the append's connection and transaction.</summary>
public sealed class ProjectionWriter
{
    private readonly SqliteStatements? _statements;

    public ProjectionWriter(DbConnection connection, DbTransaction transaction)
        : this(connection, transaction, null)
    {
    }

    internal ProjectionWriter(DbConnection connection, DbTransaction transaction, SqliteStatements? statements)
    {
        Connection = connection;
        Transaction = transaction;
        _statements = statements;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    /// <summary>Runs one statement; on the SQLite writer's connection, through its prepared statements.</summary>
    public async Task<int> ExecuteAsync(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        if (_statements is not null && _statements.TryExecute(sql, parameters, out var changed))
        {
            return changed;
        }
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A command on the append's transaction, for a projection that must read what it wrote before; dispose it.</summary>
    public DbCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        return command;
    }
}

/// <summary>
/// The append-only, tamper-evident event store. Every append states the expected version of its
/// stream; every event is chained by SHA-256 to its predecessor in its agency's chain, and the chain's
/// head is checkpointed, with a MAC under the agency's key, outside <c>ledger_events</c> in the same transaction.
/// Nothing in this interface, or behind it, updates or deletes an event.
/// </summary>
public interface ILedger
{
    /// <summary>
    /// Appends events to one stream of one agency, applying every registered projection in the same
    /// transaction. Throws <see cref="ConcurrencyConflictException"/> (nothing written) when the stream's
    /// version differs from <paramref name="expectedVersion"/>, and <see cref="ArgumentException"/> when the
    /// stream already belongs to another agency.
    /// </summary>
    Task<AppendResult> AppendAsync(string agencyId, string streamId, long expectedVersion, IReadOnlyList<NewEvent> events, string actor, CancellationToken ct = default);

    /// <summary>
    /// As <see cref="AppendAsync(string, string, long, IReadOnlyList{NewEvent}, string, CancellationToken)"/>, committing only
    /// once <paramref name="beforeCommit"/> has completed, and not at all (its exception thrown, nothing written) if it
    /// fails: for what must be durable before the events that name it, such as the blobs they refer to. The rows and
    /// the read model are written meanwhile, and other appends wait for it (the write lock is held): keep it to what
    /// is already under way, such as an fsync.
    /// </summary>
    Task<AppendResult> AppendAsync(string agencyId, string streamId, long expectedVersion, IReadOnlyList<NewEvent> events, string actor, Task beforeCommit, CancellationToken ct = default);

    /// <summary>The stream's events in order; empty when it does not exist.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId, CancellationToken ct = default);

    /// <summary>The stream's version (0 when it does not exist) and owning agency (null when it does not exist).</summary>
    Task<(long Version, string? AgencyId)> GetStreamAsync(string streamId, CancellationToken ct = default);

    /// <summary>Events with a position greater than <paramref name="afterPosition"/>, in order, streamed.</summary>
    IAsyncEnumerable<StoredEvent> ReadAllAsync(long afterPosition, CancellationToken ct = default);

    /// <summary>Walks every chain and its checkpoint; reports the first bad event.</summary>
    Task<VerifyResult> VerifyAsync(CancellationToken ct = default);
}
