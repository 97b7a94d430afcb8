using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Threshold.Harassment;
using Threshold.Infrastructure;

namespace Threshold.Policing;

/// <summary>
/// The police pages without JavaScript, through the real sign-in and antiforgery: who may open them, another
/// force's case, four eyes on the page, a stale version, and a whole case from an office's report to an
/// authorised community resolution with the victim informed.
/// </summary>
public sealed partial class PolicePagesTests(TestApp app) : IClassFixture<TestApp>
{
    private static string Surname() => "Thorn" + Guid.NewGuid().ToString("n")[..6];

    /// <summary>Posts a form with the page's antiforgery token; returns the redirect's location, or the page's HTML when <paramref name="expected"/> is 200.</summary>
    private static async Task<string> PostAsync(HttpClient client, string path, Dictionary<string, string> form, HttpStatusCode expected = HttpStatusCode.Redirect, string? tokenFrom = null)
    {
        form["__RequestVerificationToken"] = await Browserless.AntiforgeryTokenAsync(client, tokenFrom ?? path.Split('?')[0]);
        var response = await client.PostAsync(path, new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {response.Headers.Location}: {body[..Math.Min(body.Length, 3000)]}");
        return expected == HttpStatusCode.Redirect ? response.Headers.Location!.ToString() : body;
    }

    private static async Task<string> VersionAsync(HttpClient client, string caseId) =>
        VersionField().Match(await client.GetStringAsync($"/police/cases/{caseId}")).Groups[1].Value;

    private static Task<string> StepAsync(HttpClient client, string caseId, string handler, Dictionary<string, string> form, string version, HttpStatusCode expected = HttpStatusCode.Redirect)
    {
        form["version"] = version;
        return PostAsync(client, $"/police/cases/{caseId}?handler={handler}", form, expected, $"/police/cases/{caseId}");
    }

    [Theory]
    [InlineData("caseworker@alex-morgan-mp.example")]
    [InlineData("triage-worker@riverside-council.example")]
    [InlineData("auditor@harbourside-police.example")]
    public async Task Police_pages_refuse_anyone_outside_a_police_role(string email)
    {
        var client = await Browserless.SignedInAsync(app, email);
        foreach (var path in new[] { "/police", "/police/cases/new", "/police/intelligence" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/forbidden", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("href=\"/police\"", await client.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_contact_handler_records_a_report_but_cannot_take_investigative_steps()
    {
        var handler = await Browserless.SignedInAsync(app, PoliceHttp.ContactHandler);
        var home = await handler.GetStringAsync("/");
        Assert.Contains("data-testid=\"police-panel\"", home, StringComparison.Ordinal);
        var location = await PostAsync(handler, "/police/cases/new", NewCase(Surname()));
        var id = CaseId(location);
        var html = await handler.GetStringAsync(location);
        Assert.Contains("Case recorded.", html, StringComparison.Ordinal);
        Assert.Contains("Not yet taken on by an investigator", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"start-form\"", html, StringComparison.Ordinal);
        Assert.Contains(id, await handler.GetStringAsync("/police?list=new-reports"), StringComparison.Ordinal);

        var refused = await handler.PostAsync($"/police/cases/{id}?handler=Start", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["version"] = "1",
            ["__RequestVerificationToken"] = await Browserless.AntiforgeryTokenAsync(handler, $"/police/cases/{id}"),
        }));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/forbidden", refused.Headers.Location!.AbsolutePath, StringComparison.Ordinal);

        // An investigator takes it on from the new-reports list.
        var investigator = await Browserless.SignedInAsync(app, PoliceHttp.Investigator);
        Assert.Contains("data-testid=\"start-form\"", await investigator.GetStringAsync($"/police/cases/{id}"), StringComparison.Ordinal);
        await StepAsync(investigator, id, "Start", [], await VersionAsync(investigator, id));
        Assert.Contains(id, await investigator.GetStringAsync("/police?list=my-cases"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_case_with_bad_input_shows_the_rule_and_records_nothing()
    {
        var investigator = await Browserless.SignedInAsync(app, PoliceHttp.Investigator);
        var form = NewCase(Surname());
        form["Victim.GivenName"] = "";
        form["Victim.FamilyName"] = "";
        form["Victim.Email"] = "";
        form["Victim.Postcode"] = "";
        form["Victim.DateOfBirth"] = "";
        form["Summary"] = "<script>alert(1)</script> sent again";
        var html = await PostAsync(investigator, "/police/cases/new", form, HttpStatusCode.OK);
        Assert.Contains("govuk-error-summary", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_forces_case_is_not_found()
    {
        var investigator = await app.ApiClientAsync(PoliceHttp.Investigator);
        var id = await PoliceHttp.OpenAsync(investigator, Surname());
        await app.Administration.RegisterAgencyAsync("westcombe-police", "Westcombe Police", "police", null, "system:test");
        await app.Administration.AddUserAsync("westcombe-police", "investigator@westcombe-police.example", "investigator", "DC Ada Rooke", null, "westcombe-demo-pass", "system:test");
        var other = await Browserless.SignedInAsync(app, "investigator@westcombe-police.example", "westcombe-demo-pass");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/police/cases/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/police/cases/no-such-case")).StatusCode);
        var posted = await other.PostAsync($"/police/cases/{id}?handler=Incident", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["version"] = "2", ["occurredOn"] = "2026-03-01", ["channel"] = "email", ["summary"] = "x",
            ["__RequestVerificationToken"] = await Browserless.AntiforgeryTokenAsync(other, "/police/cases/new"),
        }));
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        Assert.DoesNotContain(id, await other.GetStringAsync("/police?list=my-cases"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_proposer_is_not_offered_authorisation_and_is_refused_with_the_rule_if_they_try()
    {
        var api = await app.ApiClientAsync(PoliceHttp.Investigator);
        var id = await PoliceHttp.OpenAsync(api, Surname());
        await PoliceHttp.InvestigateAsync(api, id);
        await PoliceHttp.ViewsAsync(api, id);

        // A supervisor proposes through the page…
        var supervisor = await Browserless.SignedInAsync(app, PoliceHttp.Supervisor);
        await StepAsync(supervisor, id, "Propose", new()
        {
            ["suspect"] = "0", ["disposal"] = "community-resolution", ["conditions"] = "Not to contact Alex Morgan or her family",
            ["evidentialStandardMet"] = "yes", ["reasons"] = "Admitted, first offence, victim content.",
        }, await VersionAsync(supervisor, id));
        var html = await supervisor.GetStringAsync($"/police/cases/{id}");
        Assert.DoesNotContain("data-testid=\"authorise-form\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"own-proposal\"", html, StringComparison.Ordinal);

        // …and cannot authorise it by posting the form anyway.
        var refused = await StepAsync(supervisor, id, "Authorise", new() { ["reasons"] = "Proportionate." }, await VersionAsync(supervisor, id), HttpStatusCode.OK);
        Assert.Contains("another supervisor must authorise it", refused, StringComparison.Ordinal);
        Assert.Contains(">ProposerCannotAuthorise<", refused, StringComparison.Ordinal);
        Assert.Contains("Awaiting a supervisor who is not the proposer", refused, StringComparison.Ordinal);

        // The investigator is no supervisor: no form, and the step is forbidden.
        var investigator = await Browserless.SignedInAsync(app, PoliceHttp.Investigator);
        Assert.DoesNotContain("data-testid=\"authorise-form\"", await investigator.GetStringAsync($"/police/cases/{id}"), StringComparison.Ordinal);
        var forbidden = await investigator.PostAsync($"/police/cases/{id}?handler=Authorise", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["version"] = await VersionAsync(investigator, id), ["reasons"] = "x",
            ["__RequestVerificationToken"] = await Browserless.AntiforgeryTokenAsync(investigator, $"/police/cases/{id}"),
        }));
        Assert.Equal(HttpStatusCode.Redirect, forbidden.StatusCode);
        Assert.StartsWith("/forbidden", forbidden.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_version_says_someone_else_changed_the_case_and_records_nothing()
    {
        var investigator = await Browserless.SignedInAsync(app, PoliceHttp.Investigator);
        var id = CaseId(await PostAsync(investigator, "/police/cases/new", NewCase(Surname())));
        var read = await VersionAsync(investigator, id);
        var incident = new Dictionary<string, string> { ["occurredOn"] = "2026-03-02", ["occurredTime"] = "09:15", ["channel"] = "email", ["summary"] = "First e-mail.", ["againstVictim"] = "yes" };
        await StepAsync(investigator, id, "Incident", new(incident), read);
        var stale = await StepAsync(investigator, id, "Incident", new(incident) { ["summary"] = "Written on an old page." }, read, HttpStatusCode.OK);
        Assert.Contains("Someone else changed this case while you were working on it", stale, StringComparison.Ordinal);
        Assert.Contains(">StaleVersion<", stale, StringComparison.Ordinal);
        Assert.DoesNotContain("Written on an old page.", await investigator.GetStringAsync($"/police/cases/{id}"), StringComparison.Ordinal);

        // A refused rule comes back the same way: a community resolution needs the victim's views and an admission first.
        var refused = await StepAsync(investigator, id, "Propose", new() { ["suspect"] = "0", ["disposal"] = "community-resolution", ["reasons"] = "Quick." },
            await VersionAsync(investigator, id), HttpStatusCode.OK);
        Assert.Contains("govuk-error-summary", refused, StringComparison.Ordinal);
        Assert.Matches(">(DisposalNeedsOffenceDecision|DisposalNeedsAdmission|OutOfCourtDisposalNeedsVictimViews)<", refused);
    }

    [Fact]
    public async Task A_step_taken_on_the_page_is_audited_as_a_page_read_not_an_api_one()
    {
        var investigator = await Browserless.SignedInAsync(app, PoliceHttp.Investigator);
        var id = CaseId(await PostAsync(investigator, "/police/cases/new", NewCase(Surname())));
        var incident = new Dictionary<string, string> { ["occurredOn"] = "2026-03-02", ["occurredTime"] = "09:15", ["channel"] = "email", ["summary"] = "First e-mail.", ["againstVictim"] = "yes" };
        await StepAsync(investigator, id, "Incident", incident, await VersionAsync(investigator, id));

        var audit = await new Threshold.Storage.Administration.AdministrationQueries(app.Store).AuditLogAsync("harbourside-police", null, null, 500);
        var reads = audit.Where(a => a.EventType == nameof(Threshold.Domain.Access.CaseContentRead) && a.Summary.Contains($"police-case:{id}", StringComparison.Ordinal)).ToList();
        Assert.Contains(reads, a => a.Summary.Contains("record incident", StringComparison.Ordinal));
        Assert.All(reads, a => Assert.DoesNotContain("api", a.Summary, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_case_goes_from_an_offices_report_to_an_authorised_community_resolution_with_the_victim_informed()
    {
        // The office logs three e-mails and reports the man to police.
        var office = await app.ApiClientAsync(HarassmentStore.Caseworker);
        var surname = Surname();
        string? correspondent = null;
        foreach (var (day, text) in new[] { (1, "You useless liar."), (5, "I know where you live."), (9, "Watch yourself.") })
        {
            var content = new ByteArrayContent(Mails.Bytes(Mails.Message(from: $"Gary {surname} <g.{surname.ToLowerInvariant()}@example.net>", body: text,
                date: new DateTimeOffset(2026, 3, day, 9, 0, 0, TimeSpan.Zero))));
            content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
            correspondent = (await PoliceHttp.JsonAsync(await office.PostAsync("/api/v1/offices/alex-morgan-mp/contacts", content), HttpStatusCode.Created)).GetProperty("correspondentId").GetString();
        }
        var reportId = (await PoliceHttp.JsonAsync(await office.PostAsJsonAsync("/api/v1/offices/alex-morgan-mp/reports",
            new { correspondentId = correspondent, policeAgency = "harbourside-police" }), HttpStatusCode.OK)).GetProperty("id").GetString()!;

        // The investigator finds it among the reports from offices and opens a case from it.
        var investigator = await Browserless.SignedInAsync(app, PoliceHttp.Investigator);
        Assert.Contains($"/police/reports/{reportId}", await investigator.GetStringAsync("/police?list=office-reports"), StringComparison.Ordinal);
        Assert.Contains(surname, await investigator.GetStringAsync($"/police/reports/{reportId}"), StringComparison.Ordinal);
        var location = await PostAsync(investigator, $"/police/reports/{reportId}", new()
        {
            ["Victim.GivenName"] = "Alex", ["Victim.FamilyName"] = "Morgan", ["Victim.DateOfBirth"] = "1984-02-11", ["Offence"] = "pha-1997-s2",
        });
        var id = CaseId(location);
        var html = await investigator.GetStringAsync(location);
        Assert.Contains("moj-timeline", html, StringComparison.Ordinal);
        Assert.Contains("3 occasions over 9 days", html, StringComparison.Ordinal);
        Assert.Contains("Missing", html, StringComparison.Ordinal);

        await StepAsync(investigator, id, "Decision", new() { ["offence"] = "pha-1997-s2", ["decision"] = "crime-recorded", ["reasons"] = "Three e-mails over nine days after being asked to stop." },
            await VersionAsync(investigator, id));
        await StepAsync(investigator, id, "Account", new() { ["suspect"] = "0", ["on"] = "", ["how"] = "voluntary-attendance", ["account"] = "admitted", ["notes"] = "Admits sending them and apologises." },
            await VersionAsync(investigator, id));
        await StepAsync(investigator, id, "Views", new() { ["on"] = "", ["how"] = "by phone", ["views"] = "Wants it to stop; content with a community resolution." },
            await VersionAsync(investigator, id));
        await StepAsync(investigator, id, "Propose", new()
        {
            ["suspect"] = "0", ["disposal"] = "community-resolution", ["conditions"] = "Not to contact Alex Morgan or her family directly or indirectly",
            ["evidentialStandardMet"] = "yes", ["reasons"] = "Admitted, first offence, victim content.",
        }, await VersionAsync(investigator, id));
        Assert.Contains(id, await investigator.GetStringAsync("/police?list=awaiting-authorisation"), StringComparison.Ordinal);

        // A supervisor who did not propose it authorises.
        var supervisor = await Browserless.SignedInAsync(app, PoliceHttp.Supervisor);
        Assert.Contains(id, await supervisor.GetStringAsync("/police"), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"authorise-form\"", await supervisor.GetStringAsync($"/police/cases/{id}"), StringComparison.Ordinal);
        var authorised = await StepAsync(supervisor, id, "Authorise", new() { ["reasons"] = "Proportionate; the victim's views considered." }, await VersionAsync(supervisor, id));
        Assert.Contains("done=authorise", authorised, StringComparison.Ordinal);

        // The officer tells the victim.
        await StepAsync(investigator, id, "Inform", new() { ["on"] = "", ["how"] = "by phone", ["what"] = "Community resolution authorised with a no-contact condition.", ["nextUpdateDue"] = "" },
            await VersionAsync(investigator, id));
        html = await investigator.GetStringAsync($"/police/cases/{id}");
        Assert.Contains("Disposal authorised", html, StringComparison.Ordinal);
        Assert.Contains("by user:" + PoliceHttp.Supervisor, html, StringComparison.Ordinal);
        Assert.Contains("Community resolution authorised with a no-contact condition.", html, StringComparison.Ordinal);
        Assert.Contains("recorded locally", html, StringComparison.Ordinal);
        Assert.DoesNotContain(id, await supervisor.GetStringAsync("/police?list=awaiting-authorisation"), StringComparison.Ordinal);

        // The intelligence entry is found by searching for the man.
        var search = await investigator.GetStringAsync($"/police/intelligence?familyName={surname}");
        Assert.Contains("data-testid=\"intelligence-hits\"", search, StringComparison.Ordinal);
        Assert.Contains($"/police/cases/{id}", search, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instructions_orders_intelligence_and_a_concern_for_a_child_are_recorded_from_the_case_page()
    {
        var investigator = await Browserless.SignedInAsync(app, PoliceHttp.Investigator);
        var surname = Surname();
        var id = CaseId(await PostAsync(investigator, "/police/cases/new", NewCase(surname)));

        await StepAsync(investigator, id, "Instruction", new() { ["issuedOn"] = "", ["suspect"] = "0", ["protectedOffices"] = "" }, await VersionAsync(investigator, id));
        var refused = await StepAsync(investigator, id, "Order", new() { ["kind"] = "restraining-order", ["suspect"] = "0", ["madeOn"] = "2026-02-30", ["court"] = "Riverside Magistrates", ["terms"] = "No contact" },
            await VersionAsync(investigator, id), HttpStatusCode.OK);
        Assert.Contains(">DateMustBeADate<", refused, StringComparison.Ordinal);
        await StepAsync(investigator, id, "Order", new()
        {
            ["kind"] = "restraining-order", ["suspect"] = "0", ["madeOn"] = "2026-03-01", ["endsOn"] = "2027-03-01", ["court"] = "Riverside Magistrates' Court",
            ["terms"] = "Not to contact Alex Morgan directly or indirectly\nNot to enter Quayside Row",
        }, await VersionAsync(investigator, id));
        var graded = await StepAsync(investigator, id, "Intelligence", new() { ["summary"] = "Seen outside the office.", ["sourceEvaluation"] = "2", ["intelligenceAssessment"] = "B", ["handlingCode"] = "C", ["handlingRestrictions"] = "" },
            await VersionAsync(investigator, id), HttpStatusCode.OK);
        Assert.Contains(">HandlingConditionsNeedText<", graded, StringComparison.Ordinal);
        await StepAsync(investigator, id, "Intelligence", new() { ["summary"] = "Seen outside the office.", ["sourceEvaluation"] = "2", ["intelligenceAssessment"] = "B", ["handlingCode"] = "P" },
            await VersionAsync(investigator, id));
        var location = await StepAsync(investigator, id, "ChildConcern", new()
        {
            ["childGivenName"] = "Ellie", ["childFamilyName"] = "Morgan", ["childDateOfBirth"] = "2016-05-14", ["childPostcode"] = "RV1 2AB",
            ["carerGivenName"] = "Alex", ["carerFamilyName"] = "Morgan", ["carerRole"] = "mother",
            ["referrerGivenName"] = "Gary", ["referrerFamilyName"] = surname, ["relationship"] = "the suspect in this case", ["sourceOfKnowledge"] = "unknown",
            ["concern"] = "He told the officer the MP's children are at direct risk.",
        }, await VersionAsync(investigator, id));
        Assert.Contains("done=child-concern", location, StringComparison.Ordinal);

        var html = await investigator.GetStringAsync($"/police/cases/{id}");
        Assert.Contains("No-contact instruction (non-statutory advice)", html, StringComparison.Ordinal);
        Assert.Contains("Restraining order made", html, StringComparison.Ordinal);
        Assert.Contains("Not to enter Quayside Row", html, StringComparison.Ordinal);
        Assert.Contains("Seen outside the office.", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"child-referrals\"", html, StringComparison.Ordinal);
        Assert.Contains("Riverside", html, StringComparison.Ordinal);
        Assert.Contains("chosen by postcode", html, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> NewCase(string suspectFamily) => new()
    {
        ["Victim.GivenName"] = "Alex", ["Victim.FamilyName"] = "Morgan", ["Victim.DateOfBirth"] = "1984-02-11",
        ["Victim.Email"] = "alex.morgan@alex-morgan-mp.example", ["Victim.Postcode"] = "RV1 2AB",
        ["Suspect.GivenName"] = "Gary", ["Suspect.FamilyName"] = suspectFamily, ["Suspect.DateOfBirth"] = "1979-04-02",
        ["Suspect.Email"] = $"gary.{suspectFamily.ToLowerInvariant()}@example.net",
        ["Household.GivenName"] = "Ellie", ["Household.FamilyName"] = "Morgan", ["Household.DateOfBirth"] = "2016-05-14",
        ["Offence"] = "harassment", ["Summary"] = "A run of abusive e-mails to the office of Alex Morgan MP.",
    };

    private static string CaseId(string location) => CaseLocation().Match(location) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException($"not a case: {location}");

    [GeneratedRegex("name=\"version\" value=\"([0-9]+)\"")]
    private static partial Regex VersionField();

    [GeneratedRegex("^/police/cases/([0-9a-f]+)\\?done=")]
    private static partial Regex CaseLocation();
}
