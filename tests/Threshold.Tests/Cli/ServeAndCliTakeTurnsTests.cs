using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Threshold.Administration;
using Threshold.Infrastructure;

namespace Threshold.Cli;

/// <summary><c>serve --demo</c> as a real process, and the CLI writing to the store a running server reads.</summary>
public sealed partial class ServeAndCliTakeTurnsTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "threshold-serve-tests", Guid.NewGuid().ToString("n"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task Serve_demo_prints_the_url_and_sign_ins_and_a_user_added_by_the_cli_can_sign_in_at_once()
    {
        using var server = Process.Start(ThresholdProcess.StartInfo(["serve", "--demo", "--urls", "http://127.0.0.1:0", "--data", _data]))!;
        try
        {
            var output = new System.Text.StringBuilder();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (await server.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                output.AppendLine(line);
                if (line.Contains("Ctrl+C", StringComparison.Ordinal))
                {
                    break;
                }
            }
            var text = output.ToString();
            Assert.Contains("Demo sign-ins", text, StringComparison.Ordinal);
            Assert.Contains(DemoSeed.Password, text, StringComparison.Ordinal);
            foreach (var user in DemoSeed.Users)
            {
                Assert.Contains(user.Email, text, StringComparison.Ordinal);
            }
            var url = new Uri(Url().Match(text).Value);
            using var client = new HttpClient { BaseAddress = url };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

            // The CLI writes to the same store while the server runs; the server sees it at once.
            var added = await ThresholdProcess.RunAsync(["users", "add", "--agency", "alex-morgan-mp", "--email", "new.caseworker@alex-morgan-mp.example",
                "--role", "caseworker", "--name", "Fern Lacey", "--password-stdin", "--data", _data], "a-long-password-1\n");
            Assert.True(added.ExitCode == 0, added.Stderr);
            var token = await client.PostAsync("/api/v1/tokens", new StringContent(
                """{"email":"new.caseworker@alex-morgan-mp.example","password":"a-long-password-1"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        // After the server's sign-ins and the CLI's user, the ledger is intact.
        var verify = await ThresholdProcess.RunAsync(["verify", "--data", _data]);
        Assert.True(verify.ExitCode == 0, verify.Stderr);
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex Url();
}
