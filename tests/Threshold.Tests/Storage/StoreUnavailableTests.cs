using System.Net;
using System.Net.Sockets;
using Threshold.Storage;

namespace Threshold.Tests.Storage;

/// <summary>Opening fails with one plain sentence an operator can act on (hosts print it and exit 2).</summary>
public sealed class StoreUnavailableTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("threshold-unavailable-").FullName;

    [Fact]
    public async Task A_data_folder_under_a_regular_file_cannot_be_written()
    {
        // Tests run as root, for whom permissions are no obstacle; a file in the path is.
        var file = Path.Combine(_root, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");
        var data = Path.Combine(file, "data");

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => ThresholdStore.OpenAsync(new StoreOptions { DataDirectory = data }));

        Assert.Equal($"Cannot write to the data folder '{data}': '{file}' is a file, not a folder.", e.Message);
    }

    [Fact]
    public async Task An_unreachable_postgres_port_is_reported_plainly_without_the_password()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => ThresholdStore.OpenAsync(new StoreOptions
        {
            DataDirectory = Path.Combine(_root, "data"),
            Database = $"Host=127.0.0.1;Port={port};Username=threshold;Password=hunter2;Database=threshold",
        }));

        Assert.Equal($"Cannot reach PostgreSQL at 127.0.0.1:{port} (connection refused). Check --database.", e.Message);
    }

    [Fact]
    public async Task A_file_that_is_not_a_sqlite_database_is_reported()
    {
        var data = Path.Combine(_root, "data");
        Directory.CreateDirectory(data);
        var file = Path.Combine(data, "threshold.db");
        await File.WriteAllTextAsync(file, new string('x', 4096));

        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => ThresholdStore.OpenAsync(new StoreOptions { DataDirectory = data }));

        Assert.Equal($"Cannot open the SQLite database '{file}': file is not a database.", e.Message);
    }

    [Fact]
    public async Task An_unrecognised_database_value_is_refused_without_echoing_it()
    {
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => ThresholdStore.OpenAsync(new StoreOptions
        {
            DataDirectory = Path.Combine(_root, "data"),
            Database = "mysql://root:hunter2@db/threshold",
        }));

        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("The --database value is neither", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
