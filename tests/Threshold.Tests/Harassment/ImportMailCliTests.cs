using Threshold.Cli;
using Threshold.Infrastructure;

namespace Threshold.Harassment;

/// <summary><c>threshold import-mail</c> as a process: summary, exit codes 0, 1 and 2, and a resumed rerun.</summary>
public sealed class ImportMailCliTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "threshold-import-cli", Guid.NewGuid().ToString("n"));
    private readonly string _mail = Directory.CreateTempSubdirectory("threshold-import-cli-mail").FullName;

    public void Dispose()
    {
        foreach (var dir in new[] { _data, _mail })
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    private Task<ProcessResult> Run(params string[] args) => ThresholdProcess.RunAsync([.. args, "--data", _data]);

    private async Task AddOfficeAsync()
    {
        var added = await Run("agencies", "add", "--id", "alex-morgan-mp", "--name", "Office of Alex Morgan MP", "--kind", "office");
        Assert.True(added.ExitCode == 0, added.Stderr);
    }

    [Fact]
    public async Task An_mbox_imports_with_a_summary_and_a_rerun_skips_everything_as_duplicates()
    {
        await AddOfficeAsync();
        var mbox = Path.Combine(_mail, "inbox.mbox");
        Mails.WriteMbox(mbox, Enumerable.Range(1, 12).Select(i => Mails.Message(from: $"Sender {i} <s{i}@example.org>", subject: $"Message {i}")));

        var first = await Run("import-mail", mbox, "--office", "alex-morgan-mp");
        Assert.True(first.ExitCode == ExitCodes.Ok, first.Stdout + first.Stderr);
        Assert.Contains("imported:           12", first.Stdout, StringComparison.Ordinal);

        var again = await Run("import-mail", mbox, "--office", "alex-morgan-mp");
        Assert.Equal(ExitCodes.Ok, again.ExitCode);
        Assert.Contains("imported:           0", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("duplicates skipped: 12", again.Stdout, StringComparison.Ordinal);

        var verify = await Run("verify");
        Assert.Equal(0, verify.ExitCode);
    }

    [Fact]
    public async Task Some_rejected_exits_1_naming_each_with_its_reason_and_the_rest_is_imported()
    {
        await AddOfficeAsync();
        File.WriteAllBytes(Path.Combine(_mail, "good.eml"), Mails.Bytes(Mails.Message()));
        File.WriteAllText(Path.Combine(_mail, "empty.eml"), "");

        var result = await Run("import-mail", _mail, "--office", "alex-morgan-mp");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Contains("imported:           1", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("empty.eml: the file is empty", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_that_cannot_run_exits_2_with_a_plain_message()
    {
        await AddOfficeAsync();
        var missing = await Run("import-mail", Path.Combine(_mail, "nothing-here.mbox"), "--office", "alex-morgan-mp");
        Assert.Equal(ExitCodes.CannotRun, missing.ExitCode);
        Assert.Contains("There is no file or folder", missing.Stderr, StringComparison.Ordinal);

        File.WriteAllBytes(Path.Combine(_mail, "good.eml"), Mails.Bytes(Mails.Message()));
        var unknown = await Run("import-mail", _mail, "--office", "no-such-office");
        Assert.Equal(ExitCodes.CannotRun, unknown.ExitCode);
        Assert.Contains("no agency 'no-such-office'", unknown.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", unknown.Stderr, StringComparison.Ordinal);
    }
}
