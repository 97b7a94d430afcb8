using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Threshold.Access;
using Threshold.Domain;
using Threshold.Domain.Policing;
using Threshold.Infrastructure;
using Threshold.Storage.Administration;
using Threshold.Storage.Blobs;

namespace Threshold.Policing;

/// <summary>The two-tier out-of-court framework is switched on by configuration (Police:OutOfCourtFramework), through real DI and a real store.</summary>
public sealed class OutOfCourtFrameworkTests(TestApp app) : IClassFixture<TestApp>
{
    private static readonly CurrentUser Investigator = new("u1", PoliceHttp.Investigator, "DC Sam Hale", "harbourside-police", "Harbourside Police", "police", null, ["investigator"]);

    private PoliceCaseService Service(string? framework)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(framework is null ? [] : [new KeyValuePair<string, string?>("Police:OutOfCourtFramework", framework)]).Build());
        services.AddSingleton(app.Store);
        services.AddSingleton<TimeProvider>(app.Clock);
        services.AddSingleton<AdministrationQueries>();
        services.AddSingleton<ReadGateway>();
        services.AddSingleton(BlobStore.ForDataDirectory(app.DataDirectory));
        Safeguarding.SafeguardingSetup.AddServices(services);
        PoliceSetup.AddServices(services);
        Integrity.IntegritySetup.AddServices(services);
        services.AddLogging();
        return services.BuildServiceProvider().GetRequiredService<PoliceCaseService>();
    }

    private async Task<string> ReadyAsync(PoliceCaseService cases)
    {
        var c = await cases.OpenAsync(Investigator, new CrimeReportSubmission(PoliceCaseBuilder.Victim, [PoliceCaseBuilder.Suspect], [], "harassment", "E-mails.", false));
        await cases.RecordIncidentAsync(Investigator, c.Id, null, cases.Now.AddDays(-9), "email", null, "One.", true);
        await cases.RecordIncidentAsync(Investigator, c.Id, null, cases.Now.AddDays(-2), "email", null, "Two.", true);
        await cases.RecordOffenceDecisionAsync(Investigator, c.Id, null, "harassment", null, "Two e-mails after being told to stop.");
        await cases.RecordSuspectAccountAsync(Investigator, c.Id, null, 0, cases.Today, "interview", "admitted", null);
        await cases.RecordVictimViewsAsync(Investigator, c.Id, null, cases.Today, "in person", "Wants him to attend a course.");
        return c.Id;
    }

    [Fact]
    public async Task Two_tier_configuration_offers_the_diversionary_caution_and_not_the_simple_caution()
    {
        var cases = Service("two-tier");
        Assert.Equal("two-tier", cases.Framework);
        var id = await ReadyAsync(cases);
        Assert.Equal("DisposalNotInFramework", (await Assert.ThrowsAsync<DomainRuleException>(() =>
            cases.ProposeDisposalAsync(Investigator, id, null, 0, "simple-caution", null, null, true, "Admitted."))).Rule);
        var proposed = await cases.ProposeDisposalAsync(Investigator, id, null, 0, "diversionary-caution", null, ["Attend a victim awareness course"], true, "Admitted.");
        Assert.Equal("diversionary-caution", proposed!.Case.CurrentProposal!.Disposal);
        Assert.Equal("two-tier", proposed.Case.CurrentProposal.Framework);
    }

    [Fact]
    public async Task Without_configuration_the_current_framework_applies()
    {
        var cases = Service(null);
        Assert.Equal("current", cases.Framework);
        var id = await ReadyAsync(cases);
        Assert.Equal("DisposalNotInFramework", (await Assert.ThrowsAsync<DomainRuleException>(() =>
            cases.ProposeDisposalAsync(Investigator, id, null, 0, "community-caution", null, null, true, "Admitted."))).Rule);
        Assert.Equal("simple-caution", (await cases.ProposeDisposalAsync(Investigator, id, null, 0, "simple-caution", null, null, true, "Admitted."))!.Case.CurrentProposal!.Disposal);
    }
}
