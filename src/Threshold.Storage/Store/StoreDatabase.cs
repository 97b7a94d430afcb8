using System.Data.Common;

namespace Threshold.Storage;

/// <summary>
/// What differs between SQLite and PostgreSQL, and nothing else: how to connect, how to take the
/// store-wide write lock, how to read the ledger for verification, which error is a stream-version
/// clash, and the DDL. Everything above this class is written once for both databases.
/// </summary>
internal abstract class StoreDatabase : IAsyncDisposable
{
    public abstract StoreKind Kind { get; }

    /// <summary>"SQLite /abs/path/threshold.db" or "PostgreSQL host:port/db" — never a password.</summary>
    public abstract string Description { get; }

    /// <summary>An open connection from the pool, set up for this store (pragmas, search path).</summary>
    public abstract Task<DbConnection> OpenConnectionAsync(CancellationToken ct);

    /// <summary>
    /// Begins a transaction that holds the store-wide write lock until it ends (SQLite: BEGIN IMMEDIATE;
    /// PostgreSQL: a transaction-scoped advisory lock). Every append runs under it, so positions are
    /// handed out and committed in the same order and a reader catching up by position never skips a row.
    /// </summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>A read-only view of the ledger at one instant, for verify.</summary>
    public abstract Task<Ledger.LedgerSnapshot> OpenSnapshotAsync(CancellationToken ct);

    /// <summary>True when <paramref name="error"/> is a unique violation on (stream_id, stream_version).</summary>
    public abstract bool IsStreamVersionClash(Exception error);

    /// <summary>The schema, as numbered migrations.</summary>
    public abstract IReadOnlyList<Migration> Migrations { get; }

    /// <summary>Statement that runs before the heads query of an append when the lock is not taken by BEGIN itself.</summary>
    public virtual string? WriteLockStatement => null;

    /// <summary>Sets up the connection the ledger's writer keeps open (SQLite: checkpoints left to <see cref="WriterCommitted"/>).</summary>
    public virtual Task PrepareWriterAsync(DbConnection connection, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Called after each commit of the ledger's writer, with the ledger position it reached.</summary>
    public virtual void WriterCommitted(long position)
    {
    }

    /// <summary>Prepares the database to hold the store (SQLite: WAL; PostgreSQL: the schema).</summary>
    public abstract Task InitialiseAsync(CancellationToken ct);

    /// <summary>Turns a failure to open into one plain sentence for the operator.</summary>
    public abstract string DescribeOpenFailure(Exception error);

    /// <summary>Creates a command on <paramref name="connection"/> with named parameters of the given types.</summary>
    public static DbCommand Command(DbConnection connection, string sql, params (string Name, System.Data.DbType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.DbType = type;
            command.Parameters.Add(p);
        }
        return command;
    }

    public abstract ValueTask DisposeAsync();
}

/// <summary>One numbered step of the schema, recorded in <c>schema_migrations</c> when applied.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
