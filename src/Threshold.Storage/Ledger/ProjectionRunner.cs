using System.Data.Common;

namespace Threshold.Storage.Ledger;

/// <summary>
/// Keeps the registered read models in step with the ledger. Every call runs inside a write
/// transaction (the caller holds the store's write lock), so a projection's rows and its recorded
/// position in <c>projection_state</c> always commit together with the events they reflect.
/// <para>Another process may append without this process's projections (a CLI command beside the
/// server). So before applying new events, an append checks whether the ledger moved since this process
/// last brought its projections up to date, and if it did, replays what they missed first.</para>
/// </summary>
internal sealed class ProjectionRunner(IReadOnlyList<IProjection> projections)
{
    private const int ReplayBatch = 500;

    private const string UpsertStateSql = """
        INSERT INTO projection_state (name, version, position) VALUES (@name, @version, @position)
        ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position
        """;

    /// <summary>The ledger position every projection is known to have applied, as of this process's last commit; null when unknown.</summary>
    private long? _caughtUpTo;

    public IReadOnlyList<IProjection> Projections { get; } = Distinct(projections);

    /// <summary>
    /// Creates the projections' tables, rebuilds each whose <see cref="IProjection.Version"/> changed (or every one
    /// when <paramref name="rebuildAll"/>), and applies to the others the events after their recorded position.
    /// Returns the ledger position they are now at; call <see cref="Committed"/> with it after the commit.
    /// </summary>
    public async Task<long> BringUpToDateAsync(DbConnection connection, DbTransaction transaction, SqliteStatements? statements, bool rebuildAll, CancellationToken ct)
    {
        foreach (var projection in Projections)
        {
            foreach (var statement in projection.Schema)
            {
                await ExecuteAsync(connection, transaction, statement, ct);
            }
        }
        return await CatchUpAsync(connection, transaction, statements, rebuildAll, ct);
    }

    /// <summary>Called under the write lock before an append writes, with the ledger's last position.</summary>
    public async Task BeforeAppendAsync(DbConnection connection, DbTransaction transaction, SqliteStatements? statements, long lastPosition, CancellationToken ct)
    {
        if (Projections.Count > 0 && _caughtUpTo != lastPosition)
        {
            await CatchUpAsync(connection, transaction, statements, rebuildAll: false, ct);
        }
    }

    /// <summary>Applies an append's new events to every projection and records their new position.</summary>
    public async Task ApplyAsync(DbConnection connection, DbTransaction transaction, SqliteStatements? statements, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        if (Projections.Count == 0 || events.Count == 0)
        {
            return;
        }
        var writer = new ProjectionWriter(connection, transaction, statements);
        foreach (var e in events)
        {
            foreach (var projection in Projections)
            {
                await projection.ApplyAsync(e, writer, ct);
            }
        }
        foreach (var projection in Projections)
        {
            await RecordPositionAsync(connection, transaction, projection, events[^1].Position, ct);
        }
    }

    /// <summary>The transaction that brought the projections to <paramref name="position"/> committed.</summary>
    public void Committed(long position) => _caughtUpTo = position;

    /// <summary>A transaction rolled back: what the projections have seen is no longer known here.</summary>
    public void Forget() => _caughtUpTo = null;

    private async Task<long> CatchUpAsync(DbConnection connection, DbTransaction transaction, SqliteStatements? statements, bool rebuildAll, CancellationToken ct)
    {
        var recorded = await ReadStatesAsync(connection, transaction, ct);
        var last = await LastPositionAsync(connection, transaction, ct);
        foreach (var projection in Projections)
        {
            long from;
            if (rebuildAll
                || !recorded.TryGetValue(projection.Name, out var state)
                || state.Version != projection.Version
                || state.Position > last)
            {
                // New, changed, or ahead of the ledger (a restored backup): start again from nothing. The tables are
                // made again from the projection's schema, so a changed column is not left behind by
                // CREATE TABLE IF NOT EXISTS. They hold only what the ledger can give again; the ledger is untouched.
                foreach (var table in projection.Tables)
                {
                    await ExecuteAsync(connection, transaction, $"DROP TABLE IF EXISTS {table}", ct);
                }
                foreach (var statement in projection.Schema)
                {
                    await ExecuteAsync(connection, transaction, statement, ct);
                }
                from = 0;
            }
            else if (state.Position == last)
            {
                continue;
            }
            else
            {
                from = state.Position;
            }
            await ReplayAsync(connection, transaction, statements, projection, from, last, ct);
            await RecordPositionAsync(connection, transaction, projection, last, ct);
        }
        return last;
    }

    private static async Task ReplayAsync(
        DbConnection connection, DbTransaction transaction, SqliteStatements? statements, IProjection projection, long after, long upTo, CancellationToken ct)
    {
        var writer = new ProjectionWriter(connection, transaction, statements);
        while (after < upTo)
        {
            var batch = await EventRows.ReadBatchAsync(connection, transaction, after, ReplayBatch, ct);
            if (batch.Count == 0)
            {
                break;
            }
            foreach (var e in batch)
            {
                await projection.ApplyAsync(e, writer, ct);
            }
            after = batch[^1].Position;
        }
    }

    private static async Task<Dictionary<string, (int Version, long Position)>> ReadStatesAsync(
        DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name, version, position FROM projection_state";
        var states = new Dictionary<string, (int, long)>(StringComparer.Ordinal);
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            states[r.GetString(0)] = (r.GetInt32(1), r.GetInt64(2));
        }
        return states;
    }

    private static async Task<long> LastPositionAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT position FROM ledger_events ORDER BY position DESC LIMIT 1";
        return await command.ExecuteScalarAsync(ct) is { } value and not DBNull ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private static async Task RecordPositionAsync(
        DbConnection connection, DbTransaction transaction, IProjection projection, long position, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = UpsertStateSql;
        EventRows.Parameter(command, "@name", projection.Name);
        EventRows.Parameter(command, "@version", projection.Version);
        EventRows.Parameter(command, "@position", position);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static IReadOnlyList<IProjection> Distinct(IReadOnlyList<IProjection> projections)
    {
        var duplicate = projections.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? projections
            : throw new ArgumentException($"Two projections are named '{duplicate.Key}': each needs its own name in projection_state.", nameof(projections));
    }
}
