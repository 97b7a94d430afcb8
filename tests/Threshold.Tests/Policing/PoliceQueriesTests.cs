using System.Net;
using System.Net.Http.Json;
using Threshold.Domain.Calendar;
using Threshold.Infrastructure;
using Threshold.Storage.Policing;

namespace Threshold.Policing;

/// <summary>
/// The police read model's queries — work lists, alerts, the instruction look-up the referral hook
/// uses, the intelligence blocking — and a rebuild from the ledger, run on SQLite and on PostgreSQL.
/// </summary>
public abstract class PoliceQueriesContract
{
    protected abstract TestApp App { get; }

    private PoliceQueries Queries => new(App.Store);

    private DateOnly Today => LondonTime.DateOf(App.Clock.GetUtcNow());

    private static string Surname() => "Quill" + Guid.NewGuid().ToString("n")[..6];

    [Fact]
    public async Task Work_lists_alerts_and_look_ups_answer_from_the_read_model_and_survive_a_rebuild()
    {
        var investigator = await App.ApiClientAsync(PoliceHttp.Investigator);
        var supervisor = await App.ApiClientAsync(PoliceHttp.Supervisor);

        // Case A: proposed, awaiting a supervisor. Case B: proposed later. Case C: victim update overdue. Case D: the supervisor's, its proposal sent back.
        var surnameA = Surname();
        var a = await PoliceHttp.OpenAsync(investigator, surnameA);
        await PoliceHttp.InvestigateAsync(investigator, a);
        await PoliceHttp.ViewsAsync(investigator, a);
        await PoliceHttp.JsonAsync(await PoliceHttp.ProposeAsync(investigator, a), HttpStatusCode.OK);
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var b = await PoliceHttp.OpenAsync(investigator, Surname());
        await PoliceHttp.InvestigateAsync(investigator, b);
        await PoliceHttp.JsonAsync(await PoliceHttp.ProposeAsync(investigator, b, "charge"), HttpStatusCode.OK);
        var c = await PoliceHttp.OpenAsync(investigator, Surname());
        await PoliceHttp.StepAsync(investigator, c, "victim-updates", new
        {
            on = Today.AddDays(-40).ToString("yyyy-MM-dd"), how = "by letter", what = "Investigation started.", nextUpdateDue = Today.AddDays(-10).ToString("yyyy-MM-dd"),
        });
        var d = await PoliceHttp.OpenAsync(supervisor, Surname());
        await PoliceHttp.StepAsync(supervisor, d, "investigation", new { });
        await PoliceHttp.JsonAsync(await PoliceHttp.PostAsync(investigator, d, "disposal", new { disposal = "no-further-action", outcomeReason = "10", reasons = "Not in the public interest." }), HttpStatusCode.OK);
        await PoliceHttp.StepAsync(supervisor, d, "disposal/rejection", new { reasons = "Interview him first." });

        // An instruction and an order; the subject of A refers the family; the order's subject too.
        await PoliceHttp.JsonAsync(await PoliceHttp.PostAsync(investigator, a, "no-contact-instructions", new { issuedOn = Today.AddDays(-1).ToString("yyyy-MM-dd") }), HttpStatusCode.Created);
        var surnameC = Surname();
        var e = await PoliceHttp.OpenAsync(investigator, surnameC);
        await PoliceHttp.StepAsync(investigator, e, "orders", new
        {
            kind = "stalking-protection-order", madeOn = Today.AddDays(-3).ToString("yyyy-MM-dd"), court = "Harbourside Magistrates' Court",
            terms = new[] { "Not to contact Alex Morgan or her family" },
        });
        foreach (var surname in new[] { surnameA, surnameC })
        {
            await PoliceHttp.JsonAsync(await App.Client().PostAsJsonAsync("/api/v1/referrals", new
            {
                localAuthority = "riverside-council",
                children = new[] { PoliceHttp.Person("Ellie", "Morgan", "2016-05-14") },
                referrer = new { person = PoliceHttp.Person("Gary", surname, phone: "+44 7700 900999"), relationship = "neighbour", sourceOfKnowledge = "first-hand" },
                concern = "Worried about Ellie.",
            }), HttpStatusCode.Created);
        }

        await AssertListsAsync(a, b, c, d, surnameA, surnameC);
        await App.Store.RebuildProjectionsAsync();
        await AssertListsAsync(a, b, c, d, surnameA, surnameC);
    }

    private async Task AssertListsAsync(string a, string b, string c, string d, string surnameA, string surnameC)
    {
        var mine = await Queries.MyCasesAsync("harbourside-police", PoliceHttp.Investigator);
        Assert.Contains(mine, r => r.CaseId == a && r.Status == "DisposalProposed" && r.IncidentCount == 3 && r.VictimName == "Alex Morgan");
        Assert.DoesNotContain(mine, r => r.CaseId == d);
        Assert.Contains(await Queries.MyCasesAsync("harbourside-police", PoliceHttp.Supervisor), r => r.CaseId == d && r.Status == "UnderInvestigation");
        Assert.Empty(await Queries.MyCasesAsync("riverside-council", PoliceHttp.Investigator));

        var awaiting = await Queries.AwaitingAuthorisationAsync("harbourside-police");
        var ia = awaiting.ToList().FindIndex(r => r.CaseId == a);
        var ib = awaiting.ToList().FindIndex(r => r.CaseId == b);
        Assert.True(ia >= 0 && ib > ia, "oldest proposal first");
        Assert.Equal("charge", awaiting[ib].ProposedDisposal);
        Assert.DoesNotContain(awaiting, r => r.CaseId == d);

        var overdue = await Queries.OverdueVictimUpdatesAsync("harbourside-police", Today);
        Assert.Contains(overdue, r => r.CaseId == c);
        Assert.DoesNotContain(overdue, r => r.CaseId == a);

        var alerts = await Queries.AlertsAsync("harbourside-police", PoliceHttp.Investigator);
        Assert.Contains(alerts, r => r.CaseId == a && r.Breach == 0 && r.ReferralId is not null);
        var breaches = await Queries.AlertsAsync("harbourside-police", breachesOnly: true);
        Assert.Contains(breaches, r => r.Breach == 1 && r.Explanation.Contains("stalking protection order", StringComparison.Ordinal));
        Assert.DoesNotContain(breaches, r => r.CaseId == a);

        Assert.Single(await Queries.InstructionsAgainstAsync(surnameA, null, null, Today));
        Assert.Contains(await Queries.InstructionsAgainstAsync(null, null, "07700 900999", Today), i => i.StatutoryOrder == "stalking protection order");
        Assert.Empty(await Queries.InstructionsAgainstAsync(surnameC, null, null, Today.AddDays(-10)));

        var intel = await Queries.IntelligenceCandidatesAsync("harbourside-police", null, "1979-04-02", null, null, null);
        Assert.DoesNotContain(intel, i => i.FamilyName == surnameA);
        var view = await PoliceHttp.CaseAsync(await App.ApiClientAsync(PoliceHttp.Investigator), a);
        Assert.Equal(a, view.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_contact_handlers_report_waits_on_new_reports_until_an_investigator_takes_it_on()
    {
        var handler = await App.ApiClientAsync(PoliceHttp.ContactHandler);
        var investigator = await App.ApiClientAsync(PoliceHttp.Investigator);
        var id = await PoliceHttp.OpenAsync(handler, Surname());
        var row = Assert.Single(await Queries.NewReportsAsync("harbourside-police"), r => r.CaseId == id);
        Assert.Equal(PoliceHttp.ContactHandler, row.OfficerEmail);
        var listed = await investigator.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/police/work-lists/new-reports");
        Assert.Contains(listed.EnumerateArray(), c => c.GetProperty("id").GetString() == id && c.GetProperty("status").GetString() == "reported");

        await PoliceHttp.StepAsync(investigator, id, "investigation", new { });
        Assert.DoesNotContain(await Queries.NewReportsAsync("harbourside-police"), r => r.CaseId == id);
        Assert.Contains(await Queries.MyCasesAsync("harbourside-police", PoliceHttp.Investigator), r => r.CaseId == id && r.OfficerName == "DC Sam Hale");
    }

    [Fact]
    public async Task Intelligence_is_found_by_person_and_not_by_other_agencies()
    {
        var investigator = await App.ApiClientAsync(PoliceHttp.Investigator);
        var surname = Surname();
        var created = await investigator.PostAsJsonAsync("/api/v1/police/intelligence", new
        {
            subject = PoliceHttp.Person("Gary", surname, "1979-04-02", postcode: "RV1 2AB"),
            summary = "Seen outside the constituency office on three evenings.",
            sourceEvaluation = "2", intelligenceAssessment = "B", handlingCode = "C", handlingRestrictions = "Not to be disclosed to the subject.",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var byName = await Queries.IntelligenceCandidatesAsync("harbourside-police", surname, null, null, null, null);
        var row = Assert.Single(byName);
        Assert.Equal("2BC", row.Grading);
        Assert.Equal("RV12AB", row.PostcodeKey);
        Assert.Empty(await Queries.IntelligenceCandidatesAsync("riverside-council", surname, null, null, null, null));
        var hits = await investigator.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/police/intelligence?givenName=Gary&familyName={surname}&postcode=RV1%202AB");
        Assert.Contains(hits.EnumerateArray(), h => h.GetProperty("entryId").GetString() == row.EntryId);
    }
}

public sealed class PoliceQueriesTests(TestApp app) : PoliceQueriesContract, IClassFixture<TestApp>
{
    protected override TestApp App => app;
}

/// <summary>The same queries on PostgreSQL: a fresh demo store in its own schema per test.</summary>
[Collection("postgres")]
public sealed class PoliceQueriesOnPostgresTests(PostgresServer postgres) : PoliceQueriesContract, IAsyncLifetime
{
    private readonly TestApp _app = new(postgres.ConnectionStringFor(PostgresServer.NewSchemaName("police")));

    protected override TestApp App => _app;

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();
}
