using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Threshold.Administration;

namespace Threshold.Bench.Shared;

/// <summary>
/// A browser-like client for the page benchmarks: signed in through the real sign-in form (cookie and
/// antiforgery token), timing each GET on the client and reading the server's own time from the
/// Server-Timing header the server sends. Compiled into each page benchmark (see their project files).
/// </summary>
internal sealed partial class SignedInClient : IDisposable
{
    private readonly HttpClient _client;

    private SignedInClient(HttpClient client) => _client = client;

    public static async Task<SignedInClient> SignInAsync(Uri server, string email)
    {
        var handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        var client = new HttpClient(handler) { BaseAddress = server };
        var signInPage = await client.GetStringAsync("/sign-in");
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(signInPage).Groups[1].Value);
        var signIn = await client.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = DemoSeed.Password, ["__RequestVerificationToken"] = token,
        }));
        if (signIn.StatusCode != HttpStatusCode.Redirect)
        {
            client.Dispose();
            throw new InvalidOperationException($"sign-in answered {(int)signIn.StatusCode}");
        }
        return new SignedInClient(client);
    }

    /// <summary>GETs a page that must answer 200: the server's time (Server-Timing), the client's, and the body.</summary>
    public async Task<(double Server, double Client, string Body)> GetAsync(string path)
    {
        var t = Stopwatch.StartNew();
        using var response = await _client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        var elapsed = t.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
        }
        var timing = response.Headers.TryGetValues("Server-Timing", out var v) ? v.First() : throw new InvalidOperationException("no Server-Timing header");
        return (double.Parse(timing[(timing.IndexOf("dur=", StringComparison.Ordinal) + 4)..], CultureInfo.InvariantCulture), elapsed, body);
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
