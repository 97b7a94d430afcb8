using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Threshold.Infrastructure;

namespace Threshold.Safeguarding;

/// <summary>The stable contract's referral routes and the children's services routes, over HTTP on a real server.</summary>
public sealed class ReferralApiTests(TestApp app) : IClassFixture<TestApp>
{
    public const string Police = "investigator@harbourside-police.example";
    public const string Triage = "triage-worker@riverside-council.example";
    public const string SocialWorker = "social-worker@riverside-council.example";
    public const string Manager = "manager@riverside-council.example";
    public const string RecordsOfficer = "records-officer@riverside-council.example";
    public const string Caseworker = "caseworker@alex-morgan-mp.example";

    public static object Body(string concern = "The man says the MP's children are at direct risk.", string localAuthority = "riverside-council", object? referrer = null) => new
    {
        localAuthority,
        children = new[]
        {
            new { givenName = "Ellie", familyName = "Morgan", dateOfBirth = "2016-05-14", address = new { line1 = "12 Quayside Row", town = "Riverside", postcode = "RV1 2AB" } },
        },
        carers = new[] { new { givenName = "Alex", familyName = "Morgan", role = "mother" } },
        referrer = referrer ?? new { person = new { givenName = "Sam", familyName = "Hale" }, relationship = "investigating officer", sourceOfKnowledge = "second-hand" },
        concern,
    };

    public static async Task<string> ReferAsync(HttpClient client, object? body = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/referrals", body ?? Body());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Police_referral_is_readable_by_the_triage_worker_with_its_deadline_and_no_signals()
    {
        var police = await app.ApiClientAsync(Police);
        var id = await ReferAsync(police);
        var triage = await app.ApiClientAsync(Triage);
        var referral = await JsonAsync(await triage.GetAsync($"/api/v1/referrals/{id}"), HttpStatusCode.OK);
        Assert.Equal("received", referral.GetProperty("status").GetString());
        Assert.Equal("agency", referral.GetProperty("door").GetString());
        Assert.Equal(JsonValueKind.Array, referral.GetProperty("integritySignals").ValueKind);
        Assert.Equal(0, referral.GetProperty("integritySignals").GetArrayLength());
        var due = referral.GetProperty("triageDueBy").GetString()!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T17:00:00(\+01:00|\+00:00)$", due);
        Assert.True(DateTimeOffset.Parse(due, System.Globalization.CultureInfo.InvariantCulture) > app.Clock.GetUtcNow());
    }

    [Fact]
    public async Task Referring_police_force_reads_the_outcome_through_the_shared_record_but_the_office_cannot()
    {
        var police = await app.ApiClientAsync(Police);
        var id = await ReferAsync(police);
        var triage = await app.ApiClientAsync(Triage);
        await JsonAsync(await triage.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/triage", new { decision = "early-help", reasons = "Family support offered." }), HttpStatusCode.OK);
        var seen = await JsonAsync(await police.GetAsync($"/api/v1/referrals/{id}"), HttpStatusCode.OK);
        Assert.Equal("early-help", seen.GetProperty("triage").GetProperty("decision").GetString());
        var office = await app.ApiClientAsync(Caseworker);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/api/v1/referrals/{id}")).StatusCode);
        // Police may read, not change, the council's record.
        Assert.Equal(HttpStatusCode.Forbidden, (await police.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/annotations", new { text = "x" })).StatusCode);
    }

    [Fact]
    public async Task Anonymous_public_referral_needs_no_token_and_is_recorded_as_public()
    {
        var anonymous = app.Client();
        var id = await ReferAsync(anonymous, Body(referrer: new { anonymous = true, relationship = "neighbour", sourceOfKnowledge = "first-hand" }));
        var triage = await app.ApiClientAsync(Triage);
        var referral = await JsonAsync(await triage.GetAsync($"/api/v1/referrals/{id}"), HttpStatusCode.OK);
        Assert.Equal("public", referral.GetProperty("door").GetString());
        Assert.True(referral.GetProperty("referrer").GetProperty("anonymous").GetBoolean());
    }

    [Fact]
    public async Task Empty_authorization_header_is_anonymous_and_a_bad_token_is_refused()
    {
        var empty = app.Client();
        empty.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "");
        Assert.Equal(HttpStatusCode.Created, (await empty.PostAsJsonAsync("/api/v1/referrals", Body())).StatusCode);
        var bad = app.Client();
        bad.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bad.PostAsJsonAsync("/api/v1/referrals", Body())).StatusCode);
    }

    [Theory]
    [InlineData("harbourside-police", 422)]
    [InlineData("no-such-council", 404)]
    public async Task Local_authority_must_be_a_childrens_services_agency(string slug, int status)
    {
        var police = await app.ApiClientAsync(Police);
        var response = await police.PostAsJsonAsync("/api/v1/referrals", Body(localAuthority: slug));
        var problem = await JsonAsync(response, (HttpStatusCode)status);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Bad_input_gives_a_problem_document_never_a_500_and_writes_nothing()
    {
        var police = await app.ApiClientAsync(Police);
        var before = await CountReferralsAsync();
        var cases = new (HttpContent Content, int Status)[]
        {
            (new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"), 400),
            (JsonContent.Create(new { localAuthority = "riverside-council", children = Array.Empty<object>(), concern = "x" }), 422),
            (JsonContent.Create(new { localAuthority = "riverside-council", children = new[] { new { givenName = "Ellie", dateOfBirth = "1850-01-01" } }, concern = "x" }), 422),
            (JsonContent.Create(new { localAuthority = "riverside-council", children = new[] { new { givenName = "Ellie", dateOfBirth = "2099-01-01" } }, concern = "x" }), 422),
            (JsonContent.Create(Body(concern: new string('x', 100 * 1024))), 422),
            (JsonContent.Create(Body(concern: "<script>alert('x')</script>")), 422),
            (JsonContent.Create(new { localAuthority = "riverside-council", children = new[] { new { givenName = "Ellie" } } }), 422),
            (JsonContent.Create(new { children = new[] { new { givenName = "Ellie" } }, concern = "x" }), 422),
            (new StringContent("[1,2,3]", System.Text.Encoding.UTF8, "application/json"), 400),
        };
        foreach (var (content, status) in cases)
        {
            var response = await police.PostAsync("/api/v1/referrals", content);
            var problem = await JsonAsync(response, (HttpStatusCode)status);
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        }
        Assert.Equal(before, await CountReferralsAsync());
    }

    private async Task<long> CountReferralsAsync()
    {
        await using var c = await app.Store.OpenConnectionAsync();
        await using var command = c.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM ledger_events WHERE stream_id LIKE 'referral:%'";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Delete_is_always_405_citing_the_retention_policy_and_changes_nothing()
    {
        var police = await app.ApiClientAsync(Police);
        var id = await ReferAsync(police);
        var before = await CountReferralsAsync();
        foreach (var client in new[] { app.Client(), police, await app.ApiClientAsync(Manager) })
        {
            var problem = await JsonAsync(await client.DeleteAsync($"/api/v1/referrals/{id}"), HttpStatusCode.MethodNotAllowed);
            Assert.Contains("retention", problem.GetProperty("detail").GetString()!, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(before, await CountReferralsAsync());
        Assert.Equal(HttpStatusCode.OK, (await (await app.ApiClientAsync(Triage)).GetAsync($"/api/v1/referrals/{id}")).StatusCode);
    }

    [Fact]
    public async Task Whole_path_triage_strategy_section_47_malicious_finding_confirmed_annotated_and_restricted()
    {
        var id = await ReferAsync(await app.ApiClientAsync(Police));
        var triage = await app.ApiClientAsync(Triage);
        var sw = await app.ApiClientAsync(SocialWorker);
        var manager = await app.ApiClientAsync(Manager);
        var cs = $"/api/v1/children-services/referrals/{id}";

        var early = await JsonAsync(await sw.PostAsJsonAsync($"{cs}/section-47-outcome", new { outcome = "not-substantiated", reasons = "x" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("OutcomeNeedsTriageFirst", early.GetProperty("title").GetString());

        await JsonAsync(await triage.PostAsJsonAsync($"{cs}/triage", new { decision = "strategy-discussion", reasons = "Reasonable cause to suspect significant harm." }), HttpStatusCode.OK);
        var today = app.Clock.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await JsonAsync(await manager.PostAsJsonAsync($"{cs}/strategy-discussion", new
        {
            heldOn = today, chair = "Ruth Castell",
            attendees = new[] { new { name = "Ruth Castell", agency = "Riverside Borough Council", role = "chair" }, new { name = "DC Sam Hale", agency = "Harbourside Police", role = "investigator" }, new { name = "Dr Imogen Vale", agency = "Riverside Health", role = "named doctor" } },
            informationConsidered = "Police hold a harassment case in which the mother is the victim.",
            decision = "section-47", rationale = "Assess the concern on its merits.",
        }), HttpStatusCode.OK);
        var outcome = await JsonAsync(await sw.PostAsJsonAsync($"{cs}/section-47-outcome", new { outcome = "not-substantiated", reasons = "Children seen; no concerns." }), HttpStatusCode.OK);
        Assert.Equal("closed", outcome.GetProperty("status").GetString());

        var finding = await JsonAsync(await sw.PostAsJsonAsync($"{cs}/finding", new { finding = "malicious", reasons = "Made by the subject of a harassment case against the mother." }), HttpStatusCode.OK);
        Assert.True(finding.GetProperty("finding").GetProperty("awaitingManagerConfirmation").GetBoolean());
        var list = await JsonAsync(await manager.GetAsync("/api/v1/children-services/work-lists/awaiting-manager-confirmation"), HttpStatusCode.OK);
        Assert.Contains(list.EnumerateArray(), i => i.GetProperty("id").GetString() == id);

        var refused = await JsonAsync(await sw.PostAsJsonAsync($"{cs}/finding/confirmation", new { text = "" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("MaliciousFindingNeedsManagerConfirmation", refused.GetProperty("title").GetString());
        await JsonAsync(await manager.PostAsJsonAsync($"{cs}/finding/confirmation", new { text = "Agreed at panel." }), HttpStatusCode.OK);
        await JsonAsync(await manager.PostAsJsonAsync($"{cs}/annotations", new { text = "Allegation found malicious by panel." }), HttpStatusCode.OK);
        await JsonAsync(await manager.PostAsJsonAsync($"{cs}/restriction", new { text = "Malicious allegation: content restricted." }), HttpStatusCode.OK);

        var asTriage = await JsonAsync(await triage.GetAsync($"/api/v1/referrals/{id}"), HttpStatusCode.OK);
        Assert.True(asTriage.GetProperty("restricted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, asTriage.GetProperty("concern").ValueKind);
        Assert.Equal("Allegation found malicious by panel.", asTriage.GetProperty("annotations")[0].GetProperty("text").GetString());
        Assert.Equal("allegation-malicious", asTriage.GetProperty("retention").GetProperty("recordType").GetString());
        var asRecords = await JsonAsync(await (await app.ApiClientAsync(RecordsOfficer)).GetAsync($"/api/v1/referrals/{id}"), HttpStatusCode.OK);
        Assert.Contains("direct risk", asRecords.GetProperty("concern").GetString()!, StringComparison.Ordinal);

        // The generic record door honours the restriction too: the read gateway decides for every door.
        var generic = await triage.GetAsync($"/api/v1/records/referral:{id}");
        Assert.Equal(HttpStatusCode.NotFound, generic.StatusCode);
        Assert.DoesNotContain("direct risk", await generic.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var genericAsRecords = await (await app.ApiClientAsync(RecordsOfficer)).GetAsync($"/api/v1/records/referral:{id}");
        Assert.Contains("direct risk", await genericAsRecords.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var edit = await JsonAsync(await sw.PostAsJsonAsync($"{cs}/finding", new { finding = "unfounded", reasons = "x" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("RestrictedAllegationCannotBeEdited", edit.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Stale_expected_version_is_a_409()
    {
        var id = await ReferAsync(await app.ApiClientAsync(Police));
        var triage = await app.ApiClientAsync(Triage);
        var response = await triage.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/triage", new { decision = "early-help", reasons = "x", expectedVersion = 1 });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Reading_a_referral_is_on_the_audit_trail()
    {
        var id = await ReferAsync(await app.ApiClientAsync(Police));
        await (await app.ApiClientAsync(Triage)).GetAsync($"/api/v1/referrals/{id}");
        await using var c = await app.Store.OpenConnectionAsync();
        await using var command = c.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM audit_log WHERE agency_id = 'riverside-council' AND category = 'read' AND summary LIKE '%referral:{id}%'";
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 1);
    }
}

/// <summary>The public door is rate-limited per address with a clear message (its own server, so other tests don't use up the allowance).</summary>
public sealed class PublicReferralRateLimitTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task A_flood_from_one_address_is_refused_with_a_clear_message_while_professionals_carry_on()
    {
        var anonymous = app.Client();
        for (var i = 0; i < Threshold.Safeguarding.ReferralsApi.PublicReferralsPerWindow; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await anonymous.PostAsJsonAsync("/api/v1/referrals", ReferralApiTests.Body())).StatusCode);
        }
        var refused = await anonymous.PostAsJsonAsync("/api/v1/referrals", ReferralApiTests.Body());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("999", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Contains("Wait", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        var police = await app.ApiClientAsync(ReferralApiTests.Police);
        Assert.Equal(HttpStatusCode.Created, (await police.PostAsJsonAsync("/api/v1/referrals", ReferralApiTests.Body())).StatusCode);
    }
}
