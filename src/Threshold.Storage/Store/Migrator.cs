using System.Data.Common;
using System.Globalization;

namespace Threshold.Storage;

/// <summary>
/// Brings the schema up to date on start-up: applies, in order and under the write lock, every numbered
/// migration not yet in <c>schema_migrations</c>, all in one transaction (both databases have
/// transactional DDL, so a failed start leaves the schema as it was).
/// </summary>
internal static class Migrator
{
    public static async Task RunAsync(StoreDatabase database, TimeProvider clock, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await database.BeginWriteAsync(connection, ct);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """, ct);

        var applied = new HashSet<int>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT version FROM schema_migrations";
            await using var r = await read.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                applied.Add(r.GetInt32(0));
            }
        }

        var known = database.Migrations;
        var newest = known.Max(m => m.Version);
        if (applied.Count > 0 && applied.Max() > newest)
        {
            throw new StoreUnavailableException(
                $"The database {database.Description} has schema version {applied.Max()}, newer than this program knows ({newest}): run a newer Threshold.");
        }
        foreach (var migration in known.OrderBy(m => m.Version).Where(m => !applied.Contains(m.Version)))
        {
            await ExecuteAsync(connection, transaction, migration.Sql, ct);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @applied_at)";
            Ledger.EventRows.Parameter(record, "@version", migration.Version);
            Ledger.EventRows.Parameter(record, "@name", migration.Name);
            Ledger.EventRows.Parameter(record, "@applied_at", clock.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
