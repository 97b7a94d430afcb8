using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Threshold.Domain.Access;
using Threshold.Harassment;
using Threshold.Infrastructure;
using Threshold.Storage.Administration;

namespace Threshold.Policing;

/// <summary>Requests and checks shared by the police HTTP tests.</summary>
public static class PoliceHttp
{
    public const string Investigator = "investigator@harbourside-police.example";
    public const string Supervisor = "supervisor@harbourside-police.example";
    public const string ContactHandler = "contact-handler@harbourside-police.example";
    public const string Triage = "triage-worker@riverside-council.example";

    public static object Person(string given, string family, string? dob = null, string? email = null, string? phone = null, string? postcode = null) =>
        new { givenName = given, familyName = family, dateOfBirth = dob, email, phone, address = postcode is null ? null : new { line1 = "12 Quayside Row", town = "Riverside", postcode } };

    /// <summary>The stable contract's body, plus the victim's household (her daughter).</summary>
    public static object CaseBody(string suspectFamily, string offence = "harassment", bool domesticAbuse = false) => new
    {
        victim = Person("Alex", "Morgan", "1984-02-11", "alex.morgan@alex-morgan-mp.example", null, "RV1 2AB"),
        suspect = Person("Gary", suspectFamily, "1979-04-02", $"gary.{suspectFamily.ToLowerInvariant()}@example.net", "07700 900999"),
        household = new[] { Person("Ellie", "Morgan", "2016-05-14", postcode: "RV1 2AB") },
        offence,
        summary = "A run of abusive e-mails to the office of Alex Morgan MP about her campaign work.",
        domesticAbuse,
    };

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<string> RuleAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.UnprocessableEntity)
    {
        var problem = await JsonAsync(response, expected);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem.GetProperty("title").GetString()!;
    }

    public static async Task<string> OpenAsync(HttpClient client, string suspectFamily, string offence = "harassment", bool domesticAbuse = false)
    {
        var created = await JsonAsync(await client.PostAsJsonAsync("/api/v1/police/cases", CaseBody(suspectFamily, offence, domesticAbuse)), HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string caseId, string step, object body) =>
        client.PostAsJsonAsync($"/api/v1/police/cases/{caseId}/{step}", body);

    public static async Task<JsonElement> StepAsync(HttpClient client, string caseId, string step, object body) =>
        await JsonAsync(await PostAsync(client, caseId, step, body), HttpStatusCode.OK);

    public static async Task<JsonElement> CaseAsync(HttpClient client, string caseId) =>
        await JsonAsync(await client.GetAsync($"/api/v1/police/cases/{caseId}"), HttpStatusCode.OK);

    /// <summary>Three e-mails over nine days, the offence decision and an admission: ready for the victim's views and a proposal.</summary>
    public static async Task InvestigateAsync(HttpClient investigator, string caseId, string account = "admitted")
    {
        var start = DateTimeOffset.UtcNow.Date.AddDays(-20);
        foreach (var day in new[] { 0, 4, 8 })
        {
            await StepAsync(investigator, caseId, "incidents", new { occurredAt = new DateTimeOffset(start.AddDays(day).AddHours(9), TimeSpan.Zero), channel = "email", contentReference = $"exhibit SH/{day}", summary = "Abusive e-mail." });
        }
        await StepAsync(investigator, caseId, "offence-decision", new { offence = "harassment", reasons = "Three e-mails over nine days; he was told to stop after the first." });
        await StepAsync(investigator, caseId, "suspect-accounts", new { how = "voluntary-attendance", account, notes = "Admits sending them and apologises." });
    }

    public static Task<JsonElement> ViewsAsync(HttpClient investigator, string caseId) =>
        StepAsync(investigator, caseId, "victim-views", new { how = "by phone", views = "Wants it to stop; content with a community resolution with a no-contact condition." });

    public static Task<HttpResponseMessage> ProposeAsync(HttpClient client, string caseId, string disposal = "community-resolution", long? expectedVersion = null) =>
        PostAsync(client, caseId, "disposal", new
        {
            disposal,
            conditions = disposal == "community-resolution" ? new[] { "Not to contact Alex Morgan or her family directly or indirectly" } : null,
            evidentialStandardMet = true,
            reasons = "Admitted, first offence, victim content.",
            expectedVersion,
        });
}

/// <summary>
/// Issue 6 over HTTP on a real server (SQLite and PostgreSQL): the police stable routes, the case from report to an
/// authorised community resolution, the referral hook, the child-concern referral, and every bad input
/// the issue lists (own proposal, no views or admission, closed case, stale version, role, agency, JSON).
/// </summary>
public abstract class PoliceApiContract
{
    protected abstract TestApp App { get; }

    private static string Surname() => "Thorn" + Guid.NewGuid().ToString("n")[..6];

    [Fact]
    public async Task Stable_routes_open_a_case_and_record_a_no_contact_instruction_protecting_the_victim_and_her_household()
    {
        var police = await App.ApiClientAsync(PoliceHttp.Investigator);
        var id = await PoliceHttp.OpenAsync(police, Surname(), offence: "stalking");

        var created = await PoliceHttp.JsonAsync(await PoliceHttp.PostAsync(police, id, "no-contact-instructions", new { issuedOn = "2026-03-10" }), HttpStatusCode.Created);
        Assert.StartsWith("nci-", created.GetProperty("id").GetString(), StringComparison.Ordinal);

        var view = await PoliceHttp.CaseAsync(police, id);
        Assert.Equal("under-investigation", view.GetProperty("status").GetString());
        Assert.Equal("pha-1997-s2a", view.GetProperty("offenceCode").GetString());
        var instruction = view.GetProperty("instructions")[0];
        Assert.Equal("2026-03-10", instruction.GetProperty("issuedOn").GetString());
        Assert.Equal(JsonValueKind.Null, instruction.GetProperty("statutoryOrder").ValueKind);
        Assert.Equal(["Alex", "Ellie"], instruction.GetProperty("protectedPersons").EnumerateArray().Select(p => p.GetProperty("givenName").GetString()));
    }

    [Fact]
    public async Task A_case_goes_from_report_to_an_authorised_community_resolution_with_an_intelligence_entry()
    {
        var investigator = await App.ApiClientAsync(PoliceHttp.Investigator);
        var supervisor = await App.ApiClientAsync(PoliceHttp.Supervisor);
        var surname = Surname();
        var id = await PoliceHttp.OpenAsync(investigator, surname);
        await PoliceHttp.InvestigateAsync(investigator, id);

        var view = await PoliceHttp.CaseAsync(investigator, id);
        var harassment = view.GetProperty("assessment").EnumerateArray().Single(a => a.GetProperty("code").GetString() == "pha-1997-s2");
        Assert.True(harassment.GetProperty("possible").GetBoolean());
        Assert.Contains("3 occasions over 9 days against one person — course of conduct possible", harassment.GetProperty("supported")[0].GetString(), StringComparison.Ordinal);

        await PoliceHttp.ViewsAsync(investigator, id);
        await PoliceHttp.JsonAsync(await PoliceHttp.ProposeAsync(investigator, id), HttpStatusCode.OK);
        var awaiting = await investigator.GetFromJsonAsync<JsonElement>("/api/v1/police/work-lists/awaiting-authorisation");
        Assert.Contains(awaiting.EnumerateArray(), c => c.GetProperty("id").GetString() == id && c.GetProperty("proposedDisposal").GetString() == "community-resolution");

        var authorised = await PoliceHttp.StepAsync(supervisor, id, "disposal/authorisation", new { reasons = "Proportionate; the victim's views considered." });
        Assert.Equal("disposal-authorised", authorised.GetProperty("status").GetString());
        Assert.Equal("user:" + PoliceHttp.Supervisor, authorised.GetProperty("disposal").GetProperty("authorisedBy").GetString());
        var intel = Assert.Single(authorised.GetProperty("intelligence").EnumerateArray());
        Assert.Contains("Not a conviction", intel.GetProperty("summary").GetString(), StringComparison.Ordinal);
        awaiting = await investigator.GetFromJsonAsync<JsonElement>("/api/v1/police/work-lists/awaiting-authorisation");
        Assert.DoesNotContain(awaiting.EnumerateArray(), c => c.GetProperty("id").GetString() == id);

        // The next officer finds it by person, even with a nickname.
        var hits = await investigator.GetFromJsonAsync<JsonElement>($"/api/v1/police/intelligence?givenName=Garry&familyName={surname}&dateOfBirth=1979-04-02");
        var hit = Assert.Single(hits.EnumerateArray());
        Assert.Equal(id, hit.GetProperty("caseId").GetString());
        Assert.True(hit.GetProperty("matchProbability").GetDouble() > 0.9);

        await PoliceHttp.StepAsync(investigator, id, "victim-updates", new { how = "by phone", what = "Community resolution authorised; he must not contact you." });
        var closed = await PoliceHttp.StepAsync(investigator, id, "closure", new { reason = "Community resolution administered." });
        Assert.Equal("closed", closed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, closed.GetProperty("victimUpdateDue").ValueKind);
        Assert.True((await App.Store.Ledger.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Authorising_your_own_proposal_is_refused()
    {
        var supervisor = await App.ApiClientAsync(PoliceHttp.Supervisor);
        var id = await PoliceHttp.OpenAsync(supervisor, Surname());
        await PoliceHttp.StepAsync(supervisor, id, "investigation", new { });
        await PoliceHttp.InvestigateAsync(supervisor, id);
        await PoliceHttp.ViewsAsync(supervisor, id);
        await PoliceHttp.JsonAsync(await PoliceHttp.ProposeAsync(supervisor, id), HttpStatusCode.OK);

        Assert.Equal("ProposerCannotAuthorise", await PoliceHttp.RuleAsync(await PoliceHttp.PostAsync(supervisor, id, "disposal/authorisation", new { reasons = "Fine by me." })));
    }

    [Fact]
    public async Task Community_resolution_without_the_victims_views_or_without_an_admission_is_refused()
    {
        var police = await App.ApiClientAsync(PoliceHttp.Investigator);
        var noViews = await PoliceHttp.OpenAsync(police, Surname());
        await PoliceHttp.InvestigateAsync(police, noViews);
        Assert.Equal("OutOfCourtDisposalNeedsVictimViews", await PoliceHttp.RuleAsync(await PoliceHttp.ProposeAsync(police, noViews)));

        var denied = await PoliceHttp.OpenAsync(police, Surname());
        await PoliceHttp.InvestigateAsync(police, denied, account: "denied");
        await PoliceHttp.ViewsAsync(police, denied);
        Assert.Equal("DisposalNeedsAdmission", await PoliceHttp.RuleAsync(await PoliceHttp.ProposeAsync(police, denied)));

        var domestic = await PoliceHttp.OpenAsync(police, Surname(), domesticAbuse: true);
        await PoliceHttp.InvestigateAsync(police, domestic);
        await PoliceHttp.ViewsAsync(police, domestic);
        Assert.Equal("CommunityResolutionNotForDomesticAbuse", await PoliceHttp.RuleAsync(await PoliceHttp.ProposeAsync(police, domestic)));
    }

    [Fact]
    public async Task Disposal_on_a_closed_case_is_refused()
    {
        var investigator = await App.ApiClientAsync(PoliceHttp.Investigator);
        var supervisor = await App.ApiClientAsync(PoliceHttp.Supervisor);
        var id = await PoliceHttp.OpenAsync(investigator, Surname());
        await PoliceHttp.StepAsync(investigator, id, "incidents", new { occurredAt = DateTimeOffset.UtcNow.AddDays(-3), channel = "email", summary = "One e-mail." });
        await PoliceHttp.JsonAsync(await PoliceHttp.PostAsync(investigator, id, "disposal", new { disposal = "no-further-action", outcomeReason = "16", reasons = "The victim does not support action." }), HttpStatusCode.OK);
        await PoliceHttp.StepAsync(supervisor, id, "disposal/authorisation", new { reasons = "Agreed." });
        await PoliceHttp.StepAsync(investigator, id, "closure", new { reason = "No further action." });

        Assert.Equal("CaseIsClosed", await PoliceHttp.RuleAsync(await PoliceHttp.ProposeAsync(investigator, id, "charge")));
    }

    [Fact]
    public async Task A_stale_version_gets_a_conflict_and_nothing_is_written()
    {
        var police = await App.ApiClientAsync(PoliceHttp.Investigator);
        var id = await PoliceHttp.OpenAsync(police, Surname());
        var version = (await PoliceHttp.CaseAsync(police, id)).GetProperty("version").GetInt64();
        await PoliceHttp.StepAsync(police, id, "victim-views", new { how = "in person", views = "Wants him stopped.", expectedVersion = version });

        var stale = await PoliceHttp.PostAsync(police, id, "victim-views", new { how = "by phone", views = "Second thoughts.", expectedVersion = version });
        Assert.Equal("Stale version", await PoliceHttp.RuleAsync(stale, HttpStatusCode.Conflict));
        Assert.Single((await PoliceHttp.CaseAsync(police, id)).GetProperty("victimViews").EnumerateArray());
    }

    [Fact]
    public async Task Wrong_role_is_forbidden()
    {
        var investigator = await App.ApiClientAsync(PoliceHttp.Investigator);
        var handler = await App.ApiClientAsync(PoliceHttp.ContactHandler);
        var council = await App.ApiClientAsync(PoliceHttp.Triage);
        var id = await PoliceHttp.OpenAsync(investigator, Surname());

        Assert.Equal(HttpStatusCode.Forbidden, (await PoliceHttp.ProposeAsync(handler, id, "charge")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PoliceHttp.PostAsync(investigator, id, "disposal/authorisation", new { reasons = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await council.PostAsJsonAsync("/api/v1/police/cases", PoliceHttp.CaseBody(Surname()))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await council.GetAsync($"/api/v1/police/cases/{id}")).StatusCode);
        // A contact handler takes reports and reads cases.
        Assert.Equal(HttpStatusCode.Created, (await handler.PostAsJsonAsync("/api/v1/police/cases", PoliceHttp.CaseBody(Surname()))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await handler.GetAsync($"/api/v1/police/cases/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.Client().GetAsync($"/api/v1/police/cases/{id}")).StatusCode);
    }

    [Fact]
    public async Task Another_forces_case_is_not_found_and_the_attempt_is_audited()
    {
        await App.Administration.RegisterAgencyAsync("eastmoor-police", "Eastmoor Police", "police", null, "system:test");
        await App.Administration.AddUserAsync("eastmoor-police", "investigator@eastmoor-police.example", "investigator", "DC Lee Farrow", null, "eastmoor-demo-pass", "system:test");
        var harbourside = await App.ApiClientAsync(PoliceHttp.Investigator);
        var eastmoor = await App.ApiClientAsync("investigator@eastmoor-police.example", "eastmoor-demo-pass");
        var id = await PoliceHttp.OpenAsync(harbourside, Surname());

        var read = await eastmoor.GetAsync($"/api/v1/police/cases/{id}");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.DoesNotContain("Morgan", await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await PoliceHttp.PostAsync(eastmoor, id, "no-contact-instructions", new { issuedOn = "2026-03-10" })).StatusCode);
        Assert.DoesNotContain(await eastmoor.GetFromJsonAsync<JsonElement>("/api/v1/police/work-lists/awaiting-authorisation") is { } list ? list.EnumerateArray() : default,
            c => c.GetProperty("id").GetString() == id);
        var audit = await new AdministrationQueries(App.Store).AuditLogAsync("eastmoor-police", null, null, 100);
        Assert.Contains(audit, a => a.EventType == nameof(CaseAccessRefused) && a.Summary.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_read_of_a_case_is_audited()
    {
        var police = await App.ApiClientAsync(PoliceHttp.Investigator);
        var id = await PoliceHttp.OpenAsync(police, Surname());
        await PoliceHttp.CaseAsync(police, id);
        var audit = await new AdministrationQueries(App.Store).AuditLogAsync("harbourside-police", null, null, 200);
        Assert.Contains(audit, a => a.EventType == nameof(CaseContentRead) && a.Summary.Contains($"police-case:{id}", StringComparison.Ordinal) && a.Summary.Contains("api", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Malformed_json_is_400_and_an_unknown_offence_or_bad_date_is_422()
    {
        var police = await App.ApiClientAsync(PoliceHttp.Investigator);
        var malformed = await police.PostAsync("/api/v1/police/cases", new StringContent("{\"victim\": {", Encoding.UTF8, "application/json"));
        Assert.Contains("not valid JSON", (await PoliceHttp.JsonAsync(malformed, HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var wrongType = await police.PostAsync("/api/v1/police/cases", new StringContent("{\"victim\": 7}", Encoding.UTF8, "application/json"));
        Assert.Contains("not valid JSON", (await PoliceHttp.JsonAsync(wrongType, HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal("OffenceMustBeKnown", await PoliceHttp.RuleAsync(await police.PostAsJsonAsync("/api/v1/police/cases", PoliceHttp.CaseBody(Surname(), offence: "rudeness"))));
        Assert.Equal("CaseNeedsVictim", await PoliceHttp.RuleAsync(await police.PostAsJsonAsync("/api/v1/police/cases", new { suspect = PoliceHttp.Person("Gary", "X"), summary = "s" })));
        var id = await PoliceHttp.OpenAsync(police, Surname());
        Assert.Equal("DateMustBeADate", await PoliceHttp.RuleAsync(await PoliceHttp.PostAsync(police, id, "no-contact-instructions", new { issuedOn = "10/03/2026" })));
        Assert.Equal("DisposalMustBeKnown", await PoliceHttp.RuleAsync(await PoliceHttp.ProposeAsync(police, id, "a-stern-talking-to")));
        var malformedStep = await police.PostAsync($"/api/v1/police/cases/{id}/victim-views", new StringContent("not json", Encoding.UTF8, "application/json"));
        Assert.False(string.IsNullOrWhiteSpace((await PoliceHttp.JsonAsync(malformedStep, HttpStatusCode.BadRequest)).GetProperty("detail").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await police.GetAsync("/api/v1/police/cases/no-such-case")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await police.GetAsync("/api/v1/police/work-lists/everything")).StatusCode);
    }

    [Fact]
    public async Task A_referral_by_the_instructions_subject_about_the_protected_family_alerts_the_officer()
    {
        var police = await App.ApiClientAsync(PoliceHttp.Investigator);
        var surname = Surname();
        var id = await PoliceHttp.OpenAsync(police, surname);
        await PoliceHttp.JsonAsync(await PoliceHttp.PostAsync(police, id, "no-contact-instructions", new { issuedOn = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd") }), HttpStatusCode.Created);

        // The subject refers the family to children's services through the public door, under his own name.
        var referral = await PoliceHttp.JsonAsync(await App.Client().PostAsJsonAsync("/api/v1/referrals", new
        {
            localAuthority = "riverside-council",
            children = new[] { PoliceHttp.Person("Ellie", "Morgan", "2016-05-14", postcode: "RV1 2AB") },
            carers = new[] { new { givenName = "Alex", familyName = "Morgan", role = "mother" } },
            referrer = new { person = PoliceHttp.Person("Gary", surname), relationship = "concerned member of the public", sourceOfKnowledge = "online" },
            concern = "The MP neglects her daughter.",
        }), HttpStatusCode.Created);
        var referralId = referral.GetProperty("id").GetString();

        var alerts = await police.GetFromJsonAsync<JsonElement>("/api/v1/police/alerts?mine=true");
        var alert = Assert.Single(alerts.EnumerateArray(), a => a.GetProperty("referralId").GetString() == referralId);
        Assert.False(alert.GetProperty("breach").GetBoolean());
        Assert.StartsWith("further contact after a no-contact instruction", alert.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Equal("riverside-council", alert.GetProperty("from").GetString());
        var view = await PoliceHttp.CaseAsync(police, id);
        Assert.Contains(view.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("referralId").GetString() == referralId);

        // Someone else referring the same family raises nothing.
        await PoliceHttp.JsonAsync(await App.Client().PostAsJsonAsync("/api/v1/referrals", new
        {
            localAuthority = "riverside-council",
            children = new[] { PoliceHttp.Person("Ellie", "Morgan", "2016-05-14") },
            referrer = new { person = PoliceHttp.Person("Dana", "Whitcombe"), relationship = "neighbour", sourceOfKnowledge = "first-hand" },
            concern = "Worried.",
        }), HttpStatusCode.Created);
        Assert.Single((await police.GetFromJsonAsync<JsonElement>("/api/v1/police/alerts?mine=true")).EnumerateArray(), a => a.GetProperty("instructionId").GetString() == alert.GetProperty("instructionId").GetString());
    }

    [Fact]
    public async Task The_offices_further_contact_hook_flags_contact_from_the_subject_of_a_case_instruction_and_the_officer_sees_it()
    {
        var police = await App.ApiClientAsync(PoliceHttp.Investigator);
        var surname = Surname();
        var id = await PoliceHttp.OpenAsync(police, surname);
        Assert.Equal("ProtectedOfficeMustBeAnOffice", await PoliceHttp.RuleAsync(await PoliceHttp.PostAsync(police, id, "no-contact-instructions",
            new { issuedOn = "2026-03-10", protectedOffices = new[] { "riverside-council" } })));
        await PoliceHttp.JsonAsync(await PoliceHttp.PostAsync(police, id, "no-contact-instructions", new { issuedOn = "2026-03-10", protectedOffices = new[] { "alex-morgan-mp" } }), HttpStatusCode.Created);

        var office = await App.ApiClientAsync(HarassmentStore.Caseworker);
        var content = new ByteArrayContent(Mails.Bytes(Mails.Message(from: $"Gary {surname} <gary.{surname.ToLowerInvariant()}@example.net>", body: "You can't stop me writing.",
            date: new DateTimeOffset(2026, 3, 12, 9, 0, 0, TimeSpan.Zero))));
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        var logged = await PoliceHttp.JsonAsync(await office.PostAsync("/api/v1/offices/alex-morgan-mp/contacts", content), HttpStatusCode.Created);
        Assert.Contains(logged.GetProperty("flags").EnumerateArray(), f => f.GetString()!.StartsWith("further contact after a no-contact instruction", StringComparison.Ordinal));

        var alerts = await police.GetFromJsonAsync<JsonElement>("/api/v1/police/alerts?mine=true");
        var alert = Assert.Single(alerts.EnumerateArray(), a => a.GetProperty("contactId").GetString() == logged.GetProperty("id").GetString());
        Assert.Equal("alex-morgan-mp", alert.GetProperty("from").GetString());
        Assert.False(alert.GetProperty("breach").GetBoolean());
    }

    [Fact]
    public async Task The_catalogues_and_routes_are_published()
    {
        var police = await App.ApiClientAsync(PoliceHttp.Investigator);
        var offences = await police.GetFromJsonAsync<JsonElement>("/api/v1/police/catalogues/offences");
        var mca = offences.GetProperty("offences").EnumerateArray().Single(o => o.GetProperty("code").GetString() == "mca-1988-s1");
        Assert.Contains(mca.GetProperty("limbs").EnumerateArray(), l => l.GetProperty("repealed").GetString() == "2024-01-31");
        var disposals = await police.GetFromJsonAsync<JsonElement>("/api/v1/police/catalogues/disposals");
        Assert.Equal("current", disposals.GetProperty("framework").GetString());
        Assert.DoesNotContain(disposals.GetProperty("available").EnumerateArray(), d => d.GetProperty("code").GetString() == "diversionary-caution");

        var openApi = await App.Client().GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/police/cases/{id}/no-contact-instructions", openApi, StringComparison.Ordinal);
        Assert.Contains("/api/v1/police/work-lists/{list}", openApi, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_statutory_order_makes_the_subjects_referral_a_possible_breach()
    {
        var police = await App.ApiClientAsync(PoliceHttp.Investigator);
        var surname = Surname();
        var id = await PoliceHttp.OpenAsync(police, surname);
        var view = await PoliceHttp.StepAsync(police, id, "orders", new
        {
            kind = "restraining-order", madeOn = DateTimeOffset.UtcNow.AddDays(-2).ToString("yyyy-MM-dd"), endsOn = DateTimeOffset.UtcNow.AddYears(2).ToString("yyyy-MM-dd"),
            court = "Harbourside Magistrates' Court", terms = new[] { "Not to contact Alex Morgan or her daughter directly or indirectly" },
        });
        Assert.Equal("restraining-order", view.GetProperty("orders")[0].GetProperty("kind").GetString());
        Assert.Equal("restraining order", view.GetProperty("instructions")[0].GetProperty("statutoryOrder").GetString());

        var referral = await PoliceHttp.JsonAsync(await App.Client().PostAsJsonAsync("/api/v1/referrals", new
        {
            localAuthority = "riverside-council",
            children = new[] { PoliceHttp.Person("Ellie", "Morgan", "2016-05-14") },
            referrer = new { person = PoliceHttp.Person("Gary", surname, email: $"gary.{surname.ToLowerInvariant()}@example.net"), relationship = "neighbour", sourceOfKnowledge = "first-hand" },
            concern = "Worried.",
        }), HttpStatusCode.Created);
        var breaches = await police.GetFromJsonAsync<JsonElement>("/api/v1/police/alerts?breaches=true");
        var alert = Assert.Single(breaches.EnumerateArray(), a => a.GetProperty("referralId").GetString() == referral.GetProperty("id").GetString());
        Assert.StartsWith("possible breach of a restraining order", alert.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_concern_for_a_child_goes_to_the_council_for_her_postcode_and_the_case_shows_its_outcome()
    {
        var police = await App.ApiClientAsync(PoliceHttp.Investigator);
        var surname = Surname();
        var id = await PoliceHttp.OpenAsync(police, surname);
        var sent = await PoliceHttp.JsonAsync(await PoliceHttp.PostAsync(police, id, "child-concerns", new
        {
            children = new[] { PoliceHttp.Person("Ellie", "Morgan", "2016-05-14", postcode: "RV1 2AB") },
            carers = new[] { new { givenName = "Alex", familyName = "Morgan", role = "mother" } },
            referrer = new { person = PoliceHttp.Person("Gary", surname), relationship = "the suspect in this case", sourceOfKnowledge = "unknown" },
            concern = "He told officers the MP's children are 'at direct risk'.",
        }), HttpStatusCode.Created);
        Assert.Equal("riverside-council", sent.GetProperty("localAuthority").GetString());
        var referralId = sent.GetProperty("referralId").GetString()!;

        // The council has it, with the referrer's identity and source of knowledge as given, and police as the referring agency.
        var triage = await App.ApiClientAsync(PoliceHttp.Triage);
        var referral = await triage.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{referralId}");
        Assert.Equal(surname, referral.GetProperty("referrer").GetProperty("person").GetProperty("familyName").GetString());
        Assert.Equal("unknown", referral.GetProperty("referrer").GetProperty("sourceOfKnowledge").GetString());
        Assert.Equal("the suspect in this case", referral.GetProperty("referrer").GetProperty("relationship").GetString());
        Assert.Equal("harbourside-police", referral.GetProperty("referrer").GetProperty("agency").GetString());

        var link = Assert.Single((await PoliceHttp.CaseAsync(police, id)).GetProperty("childReferrals").EnumerateArray());
        Assert.Equal("received", link.GetProperty("status").GetString());
        Assert.Equal("postcode", link.GetProperty("chosenBy").GetString());

        await PoliceHttp.JsonAsync(await triage.PostAsJsonAsync($"/api/v1/children-services/referrals/{referralId}/triage", new { decision = "no-further-action", reasons = "No role for children's services." }), HttpStatusCode.OK);
        link = Assert.Single((await PoliceHttp.CaseAsync(police, id)).GetProperty("childReferrals").EnumerateArray());
        Assert.Equal("closed", link.GetProperty("status").GetString());
        Assert.Equal("no-further-action", link.GetProperty("decision").GetString());

        // Passing on the subject's concern after an instruction raises no alert to the force itself.
        await PoliceHttp.JsonAsync(await PoliceHttp.PostAsync(police, id, "no-contact-instructions", new { issuedOn = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd") }), HttpStatusCode.Created);
        await PoliceHttp.JsonAsync(await PoliceHttp.PostAsync(police, id, "child-concerns", new
        {
            children = new[] { PoliceHttp.Person("Ellie", "Morgan", "2016-05-14", postcode: "RV1 2AB") },
            referrer = new { person = PoliceHttp.Person("Gary", surname), relationship = "the suspect in this case", sourceOfKnowledge = "unknown" },
            concern = "He says it again.",
        }), HttpStatusCode.Created);
        Assert.Empty((await PoliceHttp.CaseAsync(police, id)).GetProperty("alerts").EnumerateArray());

        // Without a known postcode the officer must name the council.
        Assert.Equal("LocalAuthorityNeeded", await PoliceHttp.RuleAsync(await PoliceHttp.PostAsync(police, id, "child-concerns", new
        {
            children = new[] { PoliceHttp.Person("Ellie", "Morgan") },
            referrer = new { relationship = "anonymous caller" },
            concern = "Worried.",
        })));
    }

    [Fact]
    public async Task A_case_opened_from_an_offices_report_keeps_the_pack_hashes_and_its_contacts_become_incidents()
    {
        var office = await App.ApiClientAsync(HarassmentStore.Caseworker);
        var surname = Surname();
        var from = $"Gary {surname} <g.{Guid.NewGuid():n}@example.net>";
        string? correspondent = null;
        foreach (var (day, text) in new[] { (1, "You useless liar."), (5, "I know where you live."), (9, "Watch yourself.") })
        {
            var content = new ByteArrayContent(Mails.Bytes(Mails.Message(from: from, body: text, date: new DateTimeOffset(2026, 3, day, 9, 0, 0, TimeSpan.Zero))));
            content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
            var logged = await PoliceHttp.JsonAsync(await office.PostAsync("/api/v1/offices/alex-morgan-mp/contacts", content), HttpStatusCode.Created);
            correspondent = logged.GetProperty("correspondentId").GetString();
        }
        var report = await PoliceHttp.JsonAsync(await office.PostAsJsonAsync("/api/v1/offices/alex-morgan-mp/reports", new { correspondentId = correspondent, policeAgency = "harbourside-police" }), HttpStatusCode.OK);
        var reportId = report.GetProperty("id").GetString();

        var police = await App.ApiClientAsync(PoliceHttp.Investigator);
        var created = await PoliceHttp.JsonAsync(await police.PostAsJsonAsync($"/api/v1/police/reports/{reportId}/cases", new
        {
            victim = PoliceHttp.Person("Alex", "Morgan", "1984-02-11"),
            offence = "harassment",
        }), HttpStatusCode.Created);
        var view = await PoliceHttp.CaseAsync(police, created.GetProperty("id").GetString()!);
        Assert.Equal(reportId, view.GetProperty("report").GetProperty("reportId").GetString());
        Assert.Matches("^[0-9a-f]{64}$", view.GetProperty("report").GetProperty("manifestSha256").GetString()!);
        Assert.Equal(surname, view.GetProperty("suspects")[0].GetProperty("familyName").GetString());
        var incidents = view.GetProperty("incidents").EnumerateArray().ToList();
        Assert.Equal(3, incidents.Count);
        Assert.All(incidents, i => Assert.Matches("^contact:.+ sha256:[0-9a-f]{64}$", i.GetProperty("contentReference").GetString()!));
        Assert.Contains("3 occasions over 9 days", view.GetProperty("assessment").EnumerateArray().Single(a => a.GetProperty("code").GetString() == "pha-1997-s2").GetProperty("supported")[0].GetString(), StringComparison.Ordinal);

        // Children's services cannot open a police case from it.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await App.ApiClientAsync(PoliceHttp.Triage)).PostAsJsonAsync($"/api/v1/police/reports/{reportId}/cases", new { victim = PoliceHttp.Person("A", "B") })).StatusCode);
    }
}

public sealed class PoliceApiTests(TestApp app) : PoliceApiContract, IClassFixture<TestApp>
{
    protected override TestApp App => app;
}

/// <summary>The same HTTP slice on PostgreSQL: a fresh demo store in its own schema per test.</summary>
[Collection("postgres")]
public sealed class PoliceApiOnPostgresTests(PostgresServer postgres) : PoliceApiContract, IAsyncLifetime
{
    private readonly TestApp _app = new(postgres.ConnectionStringFor(PostgresServer.NewSchemaName("policeapi")));

    protected override TestApp App => _app;

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();
}
