using System.Data.Common;
using Microsoft.Data.Sqlite;
using Threshold.Storage.Ledger;

namespace Threshold.Storage;

/// <summary>
/// The store of one Threshold installation: the ledger, its read models and the connection to the
/// database behind them (an embedded SQLite file by default, or PostgreSQL).
/// <code>
/// await using var store = await ThresholdStore.OpenAsync(new StoreOptions { DataDirectory = "./data" });
/// await store.Ledger.AppendAsync("harbourside-police", "case-1", ExpectedVersion.NoStream, [new("CaseOpened", "{}")], "dc.hale");
/// </code>
/// </summary>
public sealed class ThresholdStore : IAsyncDisposable
{
    private readonly StoreDatabase _database;
    private readonly AgencyKeyRing _keys;
    private readonly SqlLedger _ledger;

    private ThresholdStore(StoreDatabase database, AgencyKeyRing keys, SqlLedger ledger, string dataDirectory)
    {
        _database = database;
        _keys = keys;
        _ledger = ledger;
        DataDirectory = dataDirectory;
    }

    public ILedger Ledger => _ledger;

    /// <summary>The database behind the store (tests check its error classification against real errors).</summary>
    internal StoreDatabase Database => _database;

    public StoreKind Kind => _database.Kind;

    /// <summary>"SQLite /abs/path/threshold.db" or "PostgreSQL host:port/db" — never the password.</summary>
    public string Description => _database.Description;

    /// <summary>The data folder, as an absolute path.</summary>
    public string DataDirectory { get; }

    /// <summary>
    /// Creates the data folder, opens (or creates) the database, applies pending migrations, then brings every
    /// projection up to date: rebuilt when its <see cref="IProjection.Version"/> changed, otherwise fed the
    /// events after its recorded position.
    /// </summary>
    /// <exception cref="StoreUnavailableException">The folder cannot be written or the database cannot be reached or opened.</exception>
    public static async Task<ThresholdStore> OpenAsync(StoreOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dataDirectory = PrepareDataDirectory(options.DataDirectory);
        var database = ChooseDatabase(options, dataDirectory);
        AgencyKeyRing? keys = null;
        SqlLedger? ledger = null;
        try
        {
            try
            {
                await database.InitialiseAsync(ct);
                await Migrator.RunAsync(database, options.Clock, ct);
            }
            catch (Exception e) when (e is DbException or TimeoutException or IOException)
            {
                throw new StoreUnavailableException(database.DescribeOpenFailure(e), e);
            }
            keys = new AgencyKeyRing(Path.Combine(dataDirectory, "keys"), options.AgencyKeyFiles);
            ledger = new SqlLedger(database, keys, options.Clock, options.Projections);
            await ledger.BringProjectionsUpToDateAsync(rebuildAll: false, ct);
            return new ThresholdStore(database, keys, ledger, dataDirectory);
        }
        catch
        {
            if (ledger is not null)
            {
                await ledger.DisposeAsync();
            }
            keys?.Dispose();
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>An open connection for read-model queries (Dapper works on it). Dispose it to return it to the pool.</summary>
    public Task<DbConnection> OpenConnectionAsync(CancellationToken ct = default) => _database.OpenConnectionAsync(ct);

    /// <summary>True when the database answers a trivial query.</summary>
    public async Task<bool> PingAsync(CancellationToken ct = default)
    {
        try
        {
            await using var connection = await _database.OpenConnectionAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(ct);
            return true;
        }
        catch (Exception e) when (e is DbException or TimeoutException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Empties every projection's tables and replays the whole ledger into them, in one transaction.</summary>
    public Task RebuildProjectionsAsync(CancellationToken ct = default) =>
        _ledger.BringProjectionsUpToDateAsync(rebuildAll: true, ct);

    /// <summary>
    /// For a bulk load: drops a secondary index of the read model (given as its <c>CREATE INDEX IF NOT EXISTS</c>
    /// statement from a projection's schema), so that each batch does not rewrite its scattered pages; disposing the
    /// result makes it again from the rows, in one sorted pass. Should the process end first, the next open of the
    /// store makes it (every projection's schema runs then). Meanwhile queries are answered without it, slower.
    /// </summary>
    public async Task<IAsyncDisposable> SuspendIndexAsync(string createIndexStatement, CancellationToken ct = default)
    {
        var match = System.Text.RegularExpressions.Regex.Match(createIndexStatement, @"^CREATE INDEX IF NOT EXISTS (\w+) ON ");
        if (!match.Success || !_ledger.IsProjectionSchema(createIndexStatement))
        {
            throw new ArgumentException("Only an index a projection's schema makes with CREATE INDEX IF NOT EXISTS can be suspended.", nameof(createIndexStatement));
        }
        await _ledger.ExecuteSchemaAsync($"DROP INDEX IF EXISTS {match.Groups[1].Value}", ct);
        return new SuspendedIndex(this, createIndexStatement);
    }

    private sealed class SuspendedIndex(ThresholdStore store, string create) : IAsyncDisposable
    {
        private int _restored;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _restored, 1) == 0)
            {
                await store._ledger.ExecuteSchemaAsync(create, CancellationToken.None);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _ledger.DisposeAsync();
        _keys.Dispose();
        await _database.DisposeAsync();
    }

    private static StoreDatabase ChooseDatabase(StoreOptions options, string dataDirectory)
    {
        var database = options.Database?.Trim();
        if (string.IsNullOrEmpty(database))
        {
            return new SqliteDatabase(Path.Combine(dataDirectory, "threshold.db"));
        }
        if (PostgresDatabase.Recognises(database))
        {
            return PostgresDatabase.Create(database, options.Schema);
        }
        if (database.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase))
        {
            return new SqliteDatabase(new SqliteConnectionStringBuilder(database).DataSource);
        }
        if (database.EndsWith(".db", StringComparison.OrdinalIgnoreCase)
            || database.EndsWith(".sqlite", StringComparison.OrdinalIgnoreCase)
            || database.EndsWith(".sqlite3", StringComparison.OrdinalIgnoreCase))
        {
            return new SqliteDatabase(database);
        }
        // The value is not echoed: it may hold a password.
        throw new StoreUnavailableException(
            "The --database value is neither a PostgreSQL URL (postgres://user:password@host:port/database) or connection string (Host=…) nor a SQLite file (*.db).");
    }

    /// <summary>Creates the data folder and proves it writable, so a bad --data fails now with a plain reason.</summary>
    private static string PrepareDataDirectory(string dataDirectory)
    {
        if (string.IsNullOrWhiteSpace(dataDirectory))
        {
            throw new StoreUnavailableException("No data folder was given.");
        }
        var full = Path.GetFullPath(dataDirectory);
        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".write-test-{Guid.NewGuid():N}");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
            return full;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StoreUnavailableException($"Cannot write to the data folder '{full}': permission denied.", e);
        }
        catch (IOException e)
        {
            throw new StoreUnavailableException($"Cannot write to the data folder '{full}': {WhyNotWritable(full, e)}.", e);
        }
    }

    private static string WhyNotWritable(string folder, IOException error)
    {
        for (var path = folder; !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path))
            {
                return path == folder ? "it is a file, not a folder" : $"'{path}' is a file, not a folder";
            }
        }
        return error.Message.TrimEnd('.');
    }
}
