using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using Threshold.Administration;
using Threshold.Cli;
using Threshold.Storage;
using Threshold.Web;

namespace Threshold.Browser.Tests.Infrastructure;

/// <summary>
/// The real Threshold app on Kestrel at a loopback port (fresh SQLite store, demo agencies and
/// users), and Debian's Chromium driven by Playwright. Nothing is downloaded: Playwright is
/// pointed at /usr/bin/chromium and never installs a browser of its own.
/// </summary>
public sealed partial class BrowserApp : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private WebApplication? _app;
    private ThresholdStore? _store;
    private IPlaywright? _playwright;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "threshold-browser-tests", Guid.NewGuid().ToString("n"));

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests drive Debian's Chromium at {ChromiumPath}, which is not installed. Install it with: apt-get install -y chromium");
        }

        _store = await ThresholdStore.OpenAsync(new StoreOptions
        {
            DataDirectory = DataDirectory,
            Projections = CliContext.Projections(),
        });
        await DemoSeed.SeedAsync(CliContext.Administration(_store));
        _app = ThresholdWeb.Build(_store, new ServeOptions { Urls = "http://127.0.0.1:0", Demo = true, SignInAttemptsPerMinute = 10_000 });
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.First());

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A fresh page in its own context (own cookies), with the app as base URL.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            JavaScriptEnabled = javaScript,
            Locale = "en-GB",
        });
        return await context.NewPageAsync();
    }

    [System.Text.RegularExpressions.GeneratedRegex("^https?://[^/]+/$")]
    private static partial System.Text.RegularExpressions.Regex HomePage();

    /// <summary>Signs in through the sign-in form, as a person would, and waits for the home page.</summary>
    public static async Task SignInAsync(IPage page, string email, string password = DemoSeed.Password)
    {
        await page.GotoAsync("/sign-in");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        try
        {
            // Polls the address and the heading rather than waiting for the page's load event: on CI, twice, the home
            // page had arrived and was shown whole, yet Playwright's WaitForURL (even waiting only for the commit)
            // timed out waiting for a load event it had missed.
            await Assertions.Expect(page).ToHaveURLAsync(HomePage(), new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        }
        catch (Exception e) when (e is TimeoutException or PlaywrightException)
        {
            var shown = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
            throw new TimeoutException($"Signing in as {email} did not reach the home page; the browser is at {page.Url}, showing: {shown}", e);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserApp>
{
    public const string Name = "browser";
}
