using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Threshold.Domain;
using Threshold.Domain.Records;
using Threshold.Domain.Safeguarding;
using Threshold.Infrastructure;

namespace Threshold.Safeguarding;

/// <summary>Subject access rules as pure domain tests.</summary>
public sealed class SubjectAccessRuleTests
{
    private static readonly PersonDetails Alex = new("Alex", "Morgan", "1984-03-02", null, null, null);

    [Fact]
    public void Request_is_due_one_calendar_month_from_receipt()
    {
        Assert.Equal(new DateOnly(2026, 3, 10), SubjectAccessRequest.Log("x", Alex, new DateOnly(2026, 2, 10), new DateOnly(2026, 2, 11), "u", RetentionSchedule.Default).DueOn);
        Assert.Equal(new DateOnly(2026, 2, 28), SubjectAccessRequest.Log("x", Alex, new DateOnly(2026, 1, 31), new DateOnly(2026, 2, 1), "u", RetentionSchedule.Default).DueOn);
    }

    [Fact]
    public void Only_the_records_officer_lifts_redactions_or_applies_the_exemption_and_always_with_a_reason()
    {
        var request = SubjectAccessRequest.From([SubjectAccessRequest.Log("x", Alex, new DateOnly(2026, 2, 10), new DateOnly(2026, 2, 10), "u", RetentionSchedule.Default)]);
        Assert.Equal("RedactionNeedsRecordsOfficer", Assert.Throws<DomainRuleException>(() => request.LiftRedaction("r", "consent", "u", false)).Rule);
        Assert.Equal("RedactionLiftNeedsReason", Assert.Throws<DomainRuleException>(() => request.LiftRedaction("r", " ", "u", true)).Rule);
        Assert.Equal("ExemptionNeedsRecordsOfficer", Assert.Throws<DomainRuleException>(() => request.ApplyExemption("r", "harm", "u", false)).Rule);
        Assert.Equal("ExemptionNeedsReason", Assert.Throws<DomainRuleException>(() => request.ApplyExemption("r", "", "u", true)).Rule);
    }

    [Fact]
    public void Retention_schedule_names_its_source_and_periods() =>
        Assert.Contains("malicious", RetentionSchedule.Default.For("allegation-malicious").Describe(), StringComparison.OrdinalIgnoreCase);
}

/// <summary>Telling the family and the referrer, and subject access over HTTP.</summary>
public sealed class TellingPeopleAndSubjectAccessTests(TestApp app) : IClassFixture<TestApp>
{
    private async Task<string> ReferAsync(string given)
    {
        var police = await app.ApiClientAsync(ReferralApiTests.Police);
        var response = await police.PostAsJsonAsync("/api/v1/referrals", new
        {
            localAuthority = "riverside-council",
            children = new[] { new { givenName = given, familyName = "Ashdown", dateOfBirth = "2015-09-01", address = new { postcode = "RV2 4LL" } } },
            carers = new[] { new { givenName = "Jordan", familyName = "Ashdown", dateOfBirth = "1983-11-20", role = "father", address = new { postcode = "RV2 4LL" } } },
            referrer = new { person = new { givenName = "Sam", familyName = "Hale" }, relationship = "investigating officer", sourceOfKnowledge = "second-hand" },
            concern = "A caller alleged the father leaves the children alone.",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Family_letter_and_referrer_feedback_are_recorded_and_the_police_see_the_outcome()
    {
        var id = await ReferAsync("Noah");
        var sw = await app.ApiClientAsync(ReferralApiTests.SocialWorker);
        var early = await sw.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/family-letter", new { text = "Jordan Ashdown" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        var triage = await app.ApiClientAsync(ReferralApiTests.Triage);
        Assert.Equal(HttpStatusCode.OK, (await triage.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/triage", new { decision = "no-further-action", reasons = "No role for children's services." })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sw.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/family-letter", new { text = "Jordan Ashdown" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await triage.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/feedback", new { text = "We have looked into your referral and taken the action we think right." })).StatusCode);

        var police = await app.ApiClientAsync(ReferralApiTests.Police);
        var record = await police.GetFromJsonAsync<JsonElement>($"/api/v1/records/referral:{id}");
        var types = record.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Contains("ReferralTriaged", types);
        Assert.Contains("FamilyInformed", types);
        Assert.Contains("ReferrerFeedbackGiven", types);
    }

    [Fact]
    public async Task Subject_access_export_redacts_the_referrer_until_lifted_withholds_exempt_referrals_and_is_audited()
    {
        var first = await ReferAsync("Isla");
        var second = await ReferAsync("Finn");
        var records = await app.ApiClientAsync(ReferralApiTests.RecordsOfficer);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ApiClientAsync(ReferralApiTests.Triage)).PostAsJsonAsync("/api/v1/children-services/subject-access-requests",
            new { subject = new { givenName = "Jordan", familyName = "Ashdown" } })).StatusCode);
        var created = await records.PostAsJsonAsync("/api/v1/children-services/subject-access-requests",
            new { subject = new { givenName = "Jordan", familyName = "Ashdown", dateOfBirth = "1983-11-20", address = new { postcode = "RV2 4LL" } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var sar = await created.Content.ReadFromJsonAsync<JsonElement>();
        var sarId = sar.GetProperty("id").GetString()!;
        Assert.True(DateOnly.Parse(sar.GetProperty("dueOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > DateOnly.FromDateTime(DateTime.UtcNow));

        var export = await records.GetStringAsync($"/api/v1/children-services/subject-access-requests/{sarId}/export");
        Assert.Contains("Isla", export, StringComparison.Ordinal);
        Assert.Contains("Finn", export, StringComparison.Ordinal);
        Assert.DoesNotContain("Hale", export, StringComparison.Ordinal);
        Assert.Contains("redacted", export, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await records.PostAsJsonAsync($"/api/v1/children-services/subject-access-requests/{sarId}/redactions", new { referralId = first, reason = "The officer consented to disclosure." })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await records.PostAsJsonAsync($"/api/v1/children-services/subject-access-requests/{sarId}/exemptions", new { referralId = second, reason = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await records.PostAsJsonAsync($"/api/v1/children-services/subject-access-requests/{sarId}/exemptions", new { referralId = second, reason = "Disclosure likely to cause serious harm to the child." })).StatusCode);
        var again = await records.GetStringAsync($"/api/v1/children-services/subject-access-requests/{sarId}/export");
        Assert.Contains("Hale", again, StringComparison.Ordinal);
        Assert.Contains("Isla", again, StringComparison.Ordinal);
        Assert.DoesNotContain("Finn", again, StringComparison.Ordinal);

        var history = await records.GetFromJsonAsync<JsonElement>($"/api/v1/records/sar:{sarId}");
        Assert.Equal(2, history.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("type").GetString() == "SubjectAccessExported"));
        await using var c = await app.Store.OpenConnectionAsync();
        await using var command = c.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM audit_log WHERE agency_id = 'riverside-council' AND summary LIKE '%via export%'";
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 3);
    }
}
