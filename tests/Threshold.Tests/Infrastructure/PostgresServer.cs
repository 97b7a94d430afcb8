using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Threshold.Infrastructure;

/// <summary>
/// The test collection whose classes share one throwaway PostgreSQL server. Use
/// <c>[Collection("postgres")]</c> and take a <see cref="PostgresServer"/> in the constructor.
/// </summary>
[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
}

/// <summary>
/// A throwaway PostgreSQL cluster for tests: initdb into a fresh temporary folder, trust authentication
/// on loopback, a free port, started with <c>pg_ctl -w</c>, one database. Stopped (immediate mode) and
/// deleted on dispose. Tests isolate themselves by schema: <see cref="ConnectionStringFor"/>.
/// <para>When the server binaries are missing this fails with a message to install PostgreSQL rather
/// than skipping: the PostgreSQL half of the storage tests is part of the suite (CI installs it).</para>
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string DatabaseName = "threshold_test";

    private string? _binaries;
    private string? _root;
    private bool _asPostgresUser;

    public string Host => "127.0.0.1";

    public int Port { get; private set; }

    /// <summary>A connection string to the test database (schema <c>public</c>).</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Where the server binaries were found, e.g. <c>/usr/lib/postgresql/15/bin</c>.</summary>
    public string Binaries => _binaries ?? "";

    /// <summary>
    /// Creates <paramref name="schema"/> (lower-case letters, digits, underscores) if needed and returns a
    /// connection string whose search path is that schema: pass it as <c>StoreOptions.Database</c>.
    /// </summary>
    public string ConnectionStringFor(string schema)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(schema, "^[a-z_][a-z0-9_]{0,62}$"))
        {
            throw new ArgumentException($"'{schema}' is not a plain lower-case schema name.", nameof(schema));
        }
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS \"{schema}\"", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ConnectionString;
    }

    /// <summary>A fresh, unique schema name with a readable prefix, e.g. <c>ledger_3f9a1c2b</c>.</summary>
    public static string NewSchemaName(string prefix) =>
        $"{prefix.ToLowerInvariant()}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 9, 63)];

    public async Task InitializeAsync()
    {
        _binaries = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin. " +
            "Install PostgreSQL to run the storage tests: apt-get install -y postgresql (CI installs it). " +
            "Set THRESHOLD_PG_BIN to use binaries elsewhere.");
        _asPostgresUser = Environment.UserName == "root";
        _root = Directory.CreateTempSubdirectory("threshold-pg-").FullName;
        var data = Path.Combine(_root, "data");
        if (_asPostgresUser)
        {
            // initdb and postgres refuse to run as root: the cluster belongs to the postgres user.
            await RunAsync("chown", ["postgres:postgres", _root], asPostgres: false);
        }
        await RunAsync(Path.Combine(_binaries, "initdb"),
            ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgres: _asPostgresUser);

        // A port can be taken between choosing and binding it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            // fsync off: a throwaway cluster needs no durability, and the tests run faster without it.
            var serverOptions = $"-p {Port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200";
            try
            {
                await RunAsync(Path.Combine(_binaries, "pg_ctl"),
                    ["-D", data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "-o", serverOptions, "start"], asPostgres: _asPostgresUser);
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }

        var admin = new NpgsqlConnectionStringBuilder { Host = Host, Port = Port, Username = "postgres", Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", connection);
            await create.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = "postgres",
            Database = DatabaseName,
        }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_root is null || _binaries is null)
        {
            return;
        }
        try
        {
            await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", Path.Combine(_root, "data"), "-m", "immediate", "stop"], asPostgres: _asPostgresUser);
        }
        catch (InvalidOperationException)
        {
            // Already stopped (or never started): the folder goes either way.
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The newest <c>/usr/lib/postgresql/N/bin</c> holding initdb and pg_ctl, or THRESHOLD_PG_BIN.</summary>
    private static string? FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("THRESHOLD_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(Path.Combine(configured, "initdb")) ? configured : null;
        }
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }
        return Directory.GetDirectories(root)
            .Select(d => (Version: int.TryParse(Path.GetFileName(d).Split('.')[0], out var v) ? v : -1, Bin: Path.Combine(d, "bin")))
            .Where(x => File.Exists(Path.Combine(x.Bin, "initdb")) && File.Exists(Path.Combine(x.Bin, "pg_ctl")))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Bin)
            .FirstOrDefault();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgres ? "runuser" : program,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The postgres user must be able to enter the working folder.
            WorkingDirectory = _root ?? Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        // Read both pipes while waiting: pg_ctl's server inherits them otherwise and they never close.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
