using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Threshold.Infrastructure;
using Threshold.Policing;

namespace Threshold.Safeguarding;

/// <summary>
/// "Other agencies learn only what the council decides they may": a manager tells an agency the
/// council shares information with, in words of their choosing; the agency sees those words and the
/// reference, never the referral. Every refusal names its rule and changes nothing.
/// </summary>
public sealed class AgencyNoticeTests(TestApp app) : IClassFixture<TestApp>
{
    private const string Manager = "manager@riverside-council.example";
    private const string SocialWorker = "social-worker@riverside-council.example";
    private const string Caseworker = "caseworker@alex-morgan-mp.example";

    private async Task<(string Id, string Reference)> ReferAsync()
    {
        var police = await app.ApiClientAsync(PoliceHttp.Investigator);
        var created = await PoliceHttp.JsonAsync(await police.PostAsJsonAsync("/api/v1/referrals", new
        {
            localAuthority = "riverside-council",
            children = new[] { new { givenName = "Ellie", familyName = Harassment.Mails.UniqueSurname(), dateOfBirth = "2016-05-14" } },
            referrer = new { person = new { givenName = "Sam", familyName = "Hale" }, relationship = "officer", sourceOfKnowledge = "second-hand" },
            concern = "A caller said the MP's children are at direct risk.",
        }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        return (id, (await (await app.ApiClientAsync(Manager)).GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{id}")).GetProperty("reference").GetString()!);
    }

    private static Task<HttpResponseMessage> TellAsync(HttpClient client, string id, object body) =>
        client.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/agency-notices", body);

    [Fact]
    public async Task A_manager_tells_the_mps_office_only_the_words_chosen_and_the_office_never_sees_the_referral()
    {
        var (id, reference) = await ReferAsync();
        var manager = await app.ApiClientAsync(Manager);
        Assert.Equal("AgencyNoticeNeedsDecision", await PoliceHttp.RuleAsync(await TellAsync(manager, id, new { agency = "alex-morgan-mp", text = "Considered." })));
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/triage", new { decision = "no-further-action", reasons = "No role for children's services." })).StatusCode);

        var social = await app.ApiClientAsync(SocialWorker);
        Assert.Equal(HttpStatusCode.Forbidden, (await TellAsync(social, id, new { agency = "alex-morgan-mp", text = "Considered." })).StatusCode);
        Assert.Equal("AgencyNoticeNeedsText", await PoliceHttp.RuleAsync(await TellAsync(manager, id, new { agency = "alex-morgan-mp", text = " " })));
        Assert.Equal("AgencyNoticeNeedsAgency", await PoliceHttp.RuleAsync(await TellAsync(manager, id, new { agency = "no-such-agency", text = "Considered." })));
        var slug = $"northfield-{Guid.NewGuid():n}"[..22];
        await app.Administration.RegisterAgencyAsync(slug, "Northfield Primary School", "office", null, "test", default);
        Assert.Equal("AgencyNoticeNeedsAgreement", await PoliceHttp.RuleAsync(await TellAsync(manager, id, new { agency = slug, text = "Considered." })));
        var before = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{id}");
        Assert.Equal(0, before.GetProperty("agenciesTold").GetArrayLength());

        const string Words = "Children's services considered a concern passed to them and are taking no further action.";
        var told = await PoliceHttp.JsonAsync(await TellAsync(manager, id, new { agency = "alex-morgan-mp", text = Words }), HttpStatusCode.OK);
        var entry = Assert.Single(told.GetProperty("agenciesTold").EnumerateArray());
        Assert.Equal("alex-morgan-mp", entry.GetProperty("agency").GetString());
        Assert.Equal(Words, entry.GetProperty("text").GetString());

        var office = await app.ApiClientAsync(Caseworker);
        var notices = await office.GetFromJsonAsync<JsonElement>("/api/v1/notices");
        var notice = Assert.Single(notices.EnumerateArray(), n => n.GetProperty("referral").GetString() == reference);
        Assert.Equal(Words, notice.GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/api/v1/referrals/{id}")).StatusCode);
        Assert.DoesNotContain("direct risk", notices.GetRawText(), StringComparison.Ordinal);
        var home = WebUtility.HtmlDecode(await (await Browserless.SignedInAsync(app, Caseworker)).GetStringAsync("/"));
        Assert.Contains(Words, home, StringComparison.Ordinal);
        Assert.Contains("Notices from children's services", home, StringComparison.Ordinal);

        // The police, not told, see nothing of it.
        var police = await app.ApiClientAsync(PoliceHttp.Investigator);
        Assert.DoesNotContain((await police.GetFromJsonAsync<JsonElement>("/api/v1/notices")).EnumerateArray(), n => n.GetProperty("referral").GetString() == reference);
    }

    [Fact]
    public async Task On_the_referral_page_only_a_manager_can_send_and_the_referral_lists_who_was_told()
    {
        var (id, _) = await ReferAsync();
        Assert.Equal(HttpStatusCode.OK, (await (await app.ApiClientAsync(Manager)).PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/triage",
            new { decision = "no-further-action", reasons = "No role for children's services." })).StatusCode);
        var page = $"/children-services/referrals/{id}";
        var version = (await (await app.ApiClientAsync(Manager)).GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{id}")).GetProperty("version").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var social = await Browserless.SignedInAsync(app, SocialWorker);
        Assert.DoesNotContain("data-testid=\"tell-form\"", await social.GetStringAsync(page), StringComparison.Ordinal);
        var socialToken = await Browserless.AntiforgeryTokenAsync(social, page);
        var refused = await social.PostAsync($"{page}?handler=Tell", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["version"] = version, ["agency"] = "alex-morgan-mp", ["text"] = "Considered.", ["__RequestVerificationToken"] = socialToken,
        }));
        Assert.DoesNotContain("done=told", refused.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Equal(0, (await (await app.ApiClientAsync(Manager)).GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{id}")).GetProperty("agenciesTold").GetArrayLength());

        var manager = await Browserless.SignedInAsync(app, Manager);
        Assert.Contains("data-testid=\"tell-form\"", await manager.GetStringAsync(page), StringComparison.Ordinal);
        var token = await Browserless.AntiforgeryTokenAsync(manager, page);
        var empty = await ReferralPageTests.PostAsync(manager, $"{page}?handler=Tell",
            new() { ["version"] = version, ["agency"] = "alex-morgan-mp", ["text"] = "", ["__RequestVerificationToken"] = token }, HttpStatusCode.OK);
        Assert.Contains("Write what the other agency may be told.", WebUtility.HtmlDecode(empty), StringComparison.Ordinal);
        var done = await ReferralPageTests.PostAsync(manager, $"{page}?handler=Tell",
            new() { ["version"] = version, ["agency"] = "alex-morgan-mp", ["text"] = "No further action is being taken.", ["__RequestVerificationToken"] = token });
        Assert.Contains("done=told", done, StringComparison.Ordinal);
        var after = await manager.GetStringAsync(done);
        Assert.Contains("data-testid=\"told\"", after, StringComparison.Ordinal);
        Assert.Contains("No further action is being taken.", after, StringComparison.Ordinal);
    }
}
