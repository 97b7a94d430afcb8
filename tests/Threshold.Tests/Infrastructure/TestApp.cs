using System.Net;
using Microsoft.AspNetCore.Builder;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using Threshold.Administration;
using Threshold.Cli;
using Threshold.Storage;
using Threshold.Web;

namespace Threshold.Infrastructure;

/// <summary>
/// A real Threshold server on Kestrel at a loopback port, on a fresh SQLite store (or a PostgreSQL
/// schema) seeded with the demo agencies and users. The clock is a fake one the test can move.
/// </summary>
public sealed class TestApp : IAsyncLifetime
{
    private readonly string? _database;
    private WebApplication? _app;

    public TestApp() : this(null)
    {
    }

    internal TestApp(string? database)
    {
        _database = database;
    }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "threshold-tests", Guid.NewGuid().ToString("n"));

    // Starts at the real time: ASP.NET Core Identity reads the system clock for lock-out ends.
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public ThresholdStore Store { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public AdministrationService Administration { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await ThresholdStore.OpenAsync(new StoreOptions
        {
            DataDirectory = DataDirectory,
            Database = _database,
            Projections = CliContext.Projections(),
            Clock = Clock,
        });
        Administration = new AdministrationService(Store, new Storage.Administration.AdministrationQueries(Store),
            new Microsoft.AspNetCore.Identity.PasswordHasher<Access.ThresholdUser>(), Clock);
        await DemoSeed.SeedAsync(Administration);
        _app = ThresholdWeb.Build(Store, new ServeOptions { Urls = "http://127.0.0.1:0", Demo = true, SignInAttemptsPerMinute = 10_000 }, Clock);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.First());
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A client that follows no redirects and keeps cookies, like a browser without JavaScript.</summary>
    public HttpClient Client()
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        return new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    public async Task<HttpClient> ApiClientAsync(string email, string password = DemoSeed.Password)
    {
        var client = Client();
        var response = await client.PostAsJsonAsync("/api/v1/tokens", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenBody>())!.Token;
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private sealed record TokenBody(string Token);
}
