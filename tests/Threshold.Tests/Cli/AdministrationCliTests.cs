using System.Text.RegularExpressions;
using Threshold.Infrastructure;

namespace Threshold.Cli;

/// <summary>The administration commands, run as a real process against a real SQLite store.</summary>
public sealed partial class AdministrationCliTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "threshold-cli-tests", Guid.NewGuid().ToString("n"));

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

    private Task<ProcessResult> RunWithInput(string stdin, params string[] args) => ThresholdProcess.RunAsync([.. args, "--data", _data], stdin);

    private Task<ProcessResult> Run(params string[] args) => ThresholdProcess.RunAsync([.. args, "--data", _data]);

    [Fact]
    public async Task Agencies_users_tokens_and_verify_work_together()
    {
        var agency = await Run("agencies", "add", "--id", "eastmoor-police", "--name", "Eastmoor Police", "--kind", "police");
        Assert.True(agency.ExitCode == 0, agency.Stderr);

        var user = await RunWithInput("long-enough-password\n", "users", "add", "--agency", "eastmoor-police", "--email", "dc.ward@eastmoor-police.example",
            "--role", "investigator", "--name", "DC Ira Ward", "--phone", "01632 960999", "--password-stdin");
        Assert.True(user.ExitCode == 0, user.Stderr);

        var token = await Run("tokens", "create", "--email", "dc.ward@eastmoor-police.example");
        Assert.Equal(0, token.ExitCode);
        Assert.Matches(TokenOnly(), token.Stdout);

        var verify = await Run("verify");
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("3 events", verify.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_role_is_refused_with_the_list_of_roles()
    {
        await Run("agencies", "add", "--id", "westfold-council", "--name", "Westfold Council", "--kind", "children-services");
        var result = await RunWithInput("long-enough-password\n", "users", "add", "--agency", "westfold-council", "--email", "a@westfold.example", "--role", "wizard", "--password-stdin");
        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Contains("Unknown role 'wizard'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("triage-worker", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_from_another_kind_of_agency_is_refused()
    {
        await Run("agencies", "add", "--id", "westfold-council", "--name", "Westfold Council", "--kind", "children-services");
        var result = await RunWithInput("long-enough-password\n", "users", "add", "--agency", "westfold-council", "--email", "b@westfold.example", "--role", "investigator", "--password-stdin");
        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Contains("does not exist in a children's services agency", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_email_and_a_duplicate_agency_are_refused()
    {
        Assert.Equal(0, (await Run("agencies", "add", "--id", "dunmere-office", "--name", "Dunmere Office", "--kind", "office")).ExitCode);
        var duplicate = await Run("agencies", "add", "--id", "dunmere-office", "--name", "Again", "--kind", "office");
        Assert.Equal(ExitCodes.Refused, duplicate.ExitCode);
        Assert.Contains("already exists", duplicate.Stderr, StringComparison.Ordinal);

        var email = await RunWithInput("long-enough-password\n", "users", "add", "--agency", "dunmere-office", "--email", "not an email", "--role", "caseworker", "--password-stdin");
        Assert.Equal(ExitCodes.Refused, email.ExitCode);
        Assert.Contains("not a valid e-mail address", email.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_path_that_cannot_be_written_exits_2_with_a_clear_message()
    {
        Directory.CreateDirectory(_data);
        var file = Path.Combine(_data, "a-file");
        await File.WriteAllTextAsync(file, "not a folder");
        var result = await ThresholdProcess.RunAsync(["verify", "--data", Path.Combine(file, "data")]);
        Assert.Equal(ExitCodes.CannotRun, result.ExitCode);
        Assert.Contains("data folder", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_postgresql_exits_2_without_a_stack_trace()
    {
        var result = await Run("verify", "--database", "postgres://threshold:pw@127.0.0.1:9/threshold");
        Assert.Equal(ExitCodes.CannotRun, result.ExitCode);
        Assert.Contains("PostgreSQL", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_on_an_empty_store_without_demo_says_how_to_add_an_administrator()
    {
        var info = ThresholdProcess.StartInfo(["serve", "--urls", "http://127.0.0.1:0", "--data", _data]);
        using var process = System.Diagnostics.Process.Start(info)!;
        var seen = new System.Text.StringBuilder();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                seen.AppendLine(line);
                if (line.Contains("Ctrl+C", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
        var output = seen.ToString();
        Assert.Contains("The store is empty", output, StringComparison.Ordinal);
        Assert.Contains("--role administrator", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Demo sign-ins", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agreements_need_two_known_agencies()
    {
        await Run("agencies", "add", "--id", "northwick-police", "--name", "Northwick Police", "--kind", "police");
        await Run("agencies", "add", "--id", "northwick-council", "--name", "Northwick Council", "--kind", "children-services");

        var unknown = await Run("agreements", "add", "--agencies", "northwick-police,nowhere-council");
        Assert.Equal(ExitCodes.Refused, unknown.ExitCode);
        Assert.Contains("There is no agency 'nowhere-council'", unknown.Stderr, StringComparison.Ordinal);

        var single = await Run("agreements", "add", "--agencies", "northwick-police,northwick-police");
        Assert.Equal(ExitCodes.Refused, single.ExitCode);

        var ok = await Run("agreements", "add", "--agencies", "northwick-police,northwick-council", "--purpose", "safeguarding");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Contains("recorded", ok.Stdout, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^thr_[A-Za-z0-9_-]{40,}\n?$")]
    private static partial Regex TokenOnly();
}
