using System.Data.Common;
using Threshold.Infrastructure;
using Threshold.Storage;
using Threshold.Storage.Ledger;

namespace Threshold.Tests.Storage;

/// <summary>
/// Runs a storage test class against one real database. Each test class is written once as an abstract
/// class deriving from this, with one sealed subclass per database (see <see cref="SqliteBackend"/> and
/// <see cref="PostgresBackend"/>). Every test gets a fresh data folder and, on PostgreSQL, its own schema.
/// </summary>
public abstract class StorageTestBase : IAsyncLifetime
{
    private readonly List<ThresholdStore> _stores = [];

    protected StorageTestBase(IStorageBackend backend)
    {
        Backend = backend;
        Database = backend.NewDatabase();
    }

    protected IStorageBackend Backend { get; }

    /// <summary>The <see cref="StoreOptions.Database"/> value for this test (null on SQLite: the default file).</summary>
    protected string? Database { get; }

    protected string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "threshold-storage-tests", Guid.NewGuid().ToString("n"));

    protected bool IsPostgres => Backend.Kind == StoreKind.Postgres;

    /// <summary>Opens a store on this test's database; it is disposed after the test.</summary>
    protected async Task<ThresholdStore> OpenStoreAsync(
        IReadOnlyList<IProjection>? projections = null, TimeProvider? clock = null, IReadOnlyDictionary<string, string>? keyFiles = null)
    {
        var store = await ThresholdStore.OpenAsync(new StoreOptions
        {
            DataDirectory = DataDirectory,
            Database = Database,
            Projections = projections ?? [],
            Clock = clock ?? TimeProvider.System,
            AgencyKeyFiles = keyFiles,
        });
        _stores.Add(store);
        return store;
    }

    protected static NewEvent Event(string type, int n) =>
        new(type, $$"""{"n":{{n}},"note":"Contact logged by the office","tags":["abusive","mentions-children"]}""");

    /// <summary>Appends <paramref name="count"/> single-event appends to <paramref name="stream"/>.</summary>
    protected static async Task AppendManyAsync(ThresholdStore store, string agency, string stream, int count, string type = "ContactLogged")
    {
        var version = (await store.Ledger.GetStreamAsync(stream)).Version;
        for (var i = 0; i < count; i++)
        {
            await store.Ledger.AppendAsync(agency, stream, version, [Event(type, (int)version + 1)], "caseworker@office.test");
            version++;
        }
    }

    /// <summary>Runs SQL directly on the database, as someone with database access would.</summary>
    protected static async Task<int> ExecuteAsync(ThresholdStore store, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await store.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        return await command.ExecuteNonQueryAsync();
    }

    protected static async Task<List<object?[]>> QueryAsync(ThresholdStore store, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await store.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        var rows = new List<object?[]>();
        await using DbDataReader r = await command.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>What an attacker with database access does first: remove the append-only triggers.</summary>
    protected Task DropTriggersAsync(ThresholdStore store) => ExecuteAsync(store, IsPostgres
        ? "DROP TRIGGER ledger_events_refuse_update_delete ON ledger_events; DROP TRIGGER ledger_events_refuse_truncate ON ledger_events;"
        : "DROP TRIGGER ledger_events_refuse_update; DROP TRIGGER ledger_events_refuse_delete;");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

/// <summary>Which database a storage test runs on.</summary>
public interface IStorageBackend
{
    StoreKind Kind { get; }

    /// <summary>A <see cref="StoreOptions.Database"/> value for a fresh, empty store.</summary>
    string? NewDatabase();
}

public sealed class SqliteBackend : IStorageBackend
{
    public static readonly SqliteBackend Instance = new();

    public StoreKind Kind => StoreKind.Sqlite;

    public string? NewDatabase() => null;
}

public sealed class PostgresBackend(PostgresServer server) : IStorageBackend
{
    public PostgresServer Server { get; } = server;

    public StoreKind Kind => StoreKind.Postgres;

    public string? NewDatabase() => Server.ConnectionStringFor(PostgresServer.NewSchemaName("storage"));
}
