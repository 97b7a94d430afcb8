using Threshold.Infrastructure;

namespace Threshold.Demo;

/// <summary><c>threshold demo</c> as a real process: the whole story on a fresh store, read back from the ledger.</summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "threshold-tests", $"demo-{Guid.NewGuid():n}");

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task The_demo_plays_the_acceptance_scenario_across_three_agencies_and_leaves_an_intact_ledger()
    {
        var run = await ThresholdProcess.RunAsync(["demo", "--data", _data], timeout: TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var lines = run.Stdout.Split('\n');
        // The timeline is the ledger's: each agency's steps, by the users who took them, in order.
        int Line(string text) => Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        var logged = Line("logged: \u201cYour children\u201d");
        var reported = Line("reported to police with the evidence pack (4 contacts");
        var opened = Line("police case PC-");
        var checkedIn = Line("integrity check: referrer-is-suspect (strong)");
        var triaged = Line("triage decision: strategy-discussion (within time)");
        var confirmed = Line("malicious finding confirmed by a manager");
        var notice = Line("found malicious");
        var letter = Line("family told by letter");
        var office = Line("the council tells Office of Alex Morgan MP");
        var authorised = Line("disposal authorised by a supervisor");
        var further = Line("FLAGGED: further contact after a no-contact instruction");
        Assert.All(new[] { logged, reported, opened, checkedIn, triaged, confirmed, notice, letter, office, authorised, further }, i => Assert.True(i >= 0, run.Stdout));
        Assert.True(logged < reported && reported < opened && opened < checkedIn && checkedIn < triaged && triaged < confirmed && confirmed < notice && notice < authorised && authorised < further, run.Stdout);
        Assert.Contains("caseworker@alex-morgan-mp.example", lines[logged], StringComparison.Ordinal);
        Assert.Contains("triage-worker@riverside-council.example", lines[triaged], StringComparison.Ordinal);
        Assert.Contains("supervisor@harbourside-police.example", lines[authorised], StringComparison.Ordinal);
        Assert.Contains("unfounded", lines[letter], StringComparison.Ordinal);
        Assert.Contains("Harbourside Police hold information relevant to this referrer \u2014 contact DC Sam Hale", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Ledger: intact", run.Stdout, StringComparison.Ordinal);

        var verify = await ThresholdProcess.RunAsync(["verify", "--data", _data]);
        Assert.Equal(0, verify.ExitCode);
    }

    [Fact]
    public async Task On_a_store_without_the_demo_users_it_says_so_and_changes_nothing()
    {
        Assert.Equal(0, (await ThresholdProcess.RunAsync(["agencies", "add", "--id", "eastmoor-police", "--name", "Eastmoor Constabulary", "--kind", "police", "--data", _data])).ExitCode);
        var before = await ThresholdProcess.RunAsync(["verify", "--data", _data]);

        var run = await ThresholdProcess.RunAsync(["demo", "--data", _data]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("empty --data folder", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before.Stdout, (await ThresholdProcess.RunAsync(["verify", "--data", _data])).Stdout);
    }
}
