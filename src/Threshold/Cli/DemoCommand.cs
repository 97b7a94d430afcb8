using System.CommandLine;
using Dapper;
using Threshold.Administration;
using Threshold.Demo;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Web;

namespace Threshold.Cli;

/// <summary>
/// <c>threshold demo</c>: plays the acceptance scenario through the application's own services on the
/// store (seeding the demo agencies and users into an empty one), then prints the timeline read back
/// from the ledger — what each agency recorded, when and by whom — and the integrity signals.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var demo = new Command("demo", "Play the acceptance scenario (office, police, council) and print its timeline");
        demo.SetAction(async (parse, ct) =>
        {
            var clock = new StoryClock(AcceptanceStory.StartBefore(DateTimeOffset.UtcNow));
            try
            {
                await using var store = await ThresholdStore.OpenAsync(new StoreOptions
                {
                    DataDirectory = parse.GetValue(CliContext.Data) ?? "./data",
                    Database = parse.GetValue(CliContext.Database),
                    Projections = CliContext.Projections(),
                    Clock = clock,
                }, ct);
                return await PlayAsync(store, clock, parse.GetValue(CliContext.Data) ?? "./data", Console.Out, ct);
            }
            catch (StoreUnavailableException e)
            {
                await Console.Error.WriteLineAsync($"threshold: {e.Message}");
                return ExitCodes.CannotRun;
            }
            catch (Domain.DomainRuleException e)
            {
                await Console.Error.WriteLineAsync($"threshold: {e.Message}");
                return ExitCodes.Refused;
            }
        });
        return demo;
    }

    public static async Task<int> PlayAsync(ThresholdStore store, StoryClock clock, string dataDirectory, TextWriter output, CancellationToken ct)
    {
        var queries = new AdministrationQueries(store);
        if ((await queries.ListAgenciesAsync(ct)).Count == 0)
        {
            await DemoSeed.SeedAsync(new AdministrationService(store, queries, new Microsoft.AspNetCore.Identity.PasswordHasher<Access.ThresholdUser>(), clock), ct);
        }
        long before;
        await using (var c = await store.OpenConnectionAsync(ct))
        {
            before = await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(position) FROM ledger_events", cancellationToken: ct)) ?? 0;
        }
        // The web application's own services, not started: the story goes through exactly what the pages and API call.
        await using var app = ThresholdWeb.Build(store, new ServeOptions { Urls = "http://127.0.0.1:0", DataDirectory = dataDirectory, Demo = true }, clock);
        var outcome = await new AcceptanceStory(app.Services, clock).PlayAsync(ct);

        await output.WriteLineAsync($"The acceptance scenario, as the ledger recorded it ({store.Description}):");
        await output.WriteLineAsync();
        await foreach (var line in StoryTimeline.LinesAsync(store, queries, before, ct))
        {
            await output.WriteLineAsync(line);
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Integrity signals on referral {outcome.ReferralReference}, shown to the council's triage worker before the strategy discussion:");
        foreach (var s in outcome.Signals)
        {
            await output.WriteLineAsync($"  [{s.Strength}] {s.Kind}: {s.Explanation}");
            foreach (var e in s.Evidence ?? [])
            {
                await output.WriteLineAsync($"      - {e}");
            }
            if (s.Contact is { } contact)
            {
                await output.WriteLineAsync($"      {contact}");
            }
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Further contact after the instruction: {(outcome.FurtherContactFlags.Count == 0 ? "not flagged" : string.Join("; ", outcome.FurtherContactFlags))}");
        var verified = await store.Ledger.VerifyAsync(ct);
        await output.WriteLineAsync($"Ledger: {(verified.Intact ? "intact" : "NOT intact")}, {verified.EventCount:N0} events. Sign in with `threshold serve --demo --data {dataDirectory}` to see it in the browser.");
        return ExitCodes.Ok;
    }
}
