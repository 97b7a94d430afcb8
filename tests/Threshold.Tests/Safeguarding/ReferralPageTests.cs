using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Threshold.Infrastructure;

namespace Threshold.Safeguarding;

/// <summary>The front door's pages without JavaScript: public form, work lists, referral page, forms, figures.</summary>
public sealed class ReferralPageTests(TestApp app) : IClassFixture<TestApp>
{
    public static Dictionary<string, string> PublicForm(string token, string concern = "I heard shouting and a child crying every night this week.", string childGiven = "Robin") => new()
    {
        ["Form.LocalAuthority"] = "riverside-council",
        ["Form.Children[0].GivenName"] = childGiven,
        ["Form.Children[0].FamilyName"] = "Lockwood",
        ["Form.Children[0].DateOfBirth"] = "2019-03-08",
        ["Form.Postcode"] = "RV3 9QT",
        ["Form.Anonymous"] = "yes",
        ["Form.SourceOfKnowledge"] = "first-hand",
        ["Form.Relationship"] = "neighbour",
        ["Form.Concern"] = concern,
        ["__RequestVerificationToken"] = token,
    };

    public static async Task<string> PostAsync(HttpClient client, string path, Dictionary<string, string> form, HttpStatusCode expected = HttpStatusCode.Redirect)
    {
        var response = await client.PostAsync(path, new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {response.Headers.Location}: {body[..Math.Min(body.Length, 2000)]}");
        return expected == HttpStatusCode.Redirect ? response.Headers.Location!.ToString() : body;
    }

    [Fact]
    public async Task Public_form_needs_no_account_shows_the_999_notice_first_and_confirms_with_a_reference()
    {
        var client = app.Client();
        var html = await client.GetStringAsync("/refer");
        Assert.Contains("call 999", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("call 999", StringComparison.Ordinal) < html.IndexOf("<form", StringComparison.Ordinal));
        var token = await Browserless.AntiforgeryTokenAsync(client, "/refer");
        var location = await PostAsync(client, "/refer", PublicForm(token));
        Assert.StartsWith("/refer/sent?reference=REF-", location, StringComparison.Ordinal);
        var sent = await client.GetStringAsync(location);
        Assert.Matches("data-testid=\"reference\">REF-[0-9A-F]{8}<", sent);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "markup")]
    [InlineData("", "Describe the concern")]
    public async Task Public_form_with_bad_input_shows_the_error_and_writes_nothing(string concern, string message)
    {
        var client = app.Client();
        var token = await Browserless.AntiforgeryTokenAsync(client, "/refer");
        var before = await CountAsync();
        var html = await PostAsync(client, "/refer", PublicForm(token, concern), HttpStatusCode.OK);
        Assert.Contains("govuk-error-summary", html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    private async Task<long> CountAsync()
    {
        await using var c = await app.Store.OpenConnectionAsync();
        await using var command = c.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sg_referrals";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<string> ReferByPoliceAsync(bool immediateDanger = false, string given = "Ellie")
    {
        var police = await app.ApiClientAsync(ReferralApiTests.Police);
        var response = await police.PostAsJsonAsync("/api/v1/referrals", new
        {
            localAuthority = "riverside-council",
            children = new[] { new { givenName = given, familyName = "Morgan", dateOfBirth = "2016-05-14", address = new { line1 = "12 Quayside Row", town = "Riverside", postcode = "RV1 2AB" } } },
            carers = new[] { new { givenName = "Alex", familyName = "Morgan", role = "mother" } },
            referrer = new { relationship = "investigating officer", sourceOfKnowledge = "second-hand" },
            concern = "The man says the MP's children are at direct risk.",
            immediateDanger,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Immediate_danger_jumps_the_queue_with_a_banner()
    {
        await ReferByPoliceAsync();
        var urgent = await ReferByPoliceAsync(immediateDanger: true);
        var triage = await Browserless.SignedInAsync(app, ReferralApiTests.Triage);
        var html = await triage.GetStringAsync("/children-services?list=new");
        Assert.Contains("data-testid=\"immediate-danger-banner\"", html, StringComparison.Ordinal);
        var first = html.IndexOf("data-referral=\"", StringComparison.Ordinal);
        Assert.Equal(urgent, html.Substring(first + "data-referral=\"".Length, urgent.Length));
        Assert.Contains("data-testid=\"work-list-panel\"", await triage.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Triage_worker_decides_with_reasons_on_the_referral_page_and_sees_previous_referrals()
    {
        var earlier = await ReferByPoliceAsync();
        var id = await ReferByPoliceAsync();
        var triage = await Browserless.SignedInAsync(app, ReferralApiTests.Triage);
        var html = await triage.GetStringAsync($"/children-services/referrals/{id}");
        Assert.Contains("data-testid=\"triage-due\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"previous\"", html, StringComparison.Ordinal);
        Assert.Contains(earlier, html, StringComparison.Ordinal);

        var token = await Browserless.AntiforgeryTokenAsync(triage, $"/children-services/referrals/{id}");
        var missing = await PostAsync(triage, $"/children-services/referrals/{id}?handler=Triage",
            new() { ["version"] = "2", ["decision"] = "early-help", ["reasons"] = "", ["__RequestVerificationToken"] = token }, HttpStatusCode.OK);
        Assert.Contains("Give the reasons", missing, StringComparison.Ordinal);
        var done = await PostAsync(triage, $"/children-services/referrals/{id}?handler=Triage",
            new() { ["version"] = "3", ["decision"] = "early-help", ["reasons"] = "Family support offered.", ["__RequestVerificationToken"] = token });
        Assert.Contains("done=triage", done, StringComparison.Ordinal);
        Assert.Contains("Family support offered.", await triage.GetStringAsync(done), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Annotation_is_shown_first_and_restricted_content_only_to_the_records_officer_and_auditors()
    {
        var id = await ReferByPoliceAsync(given: "Maisie");
        var manager = await Browserless.SignedInAsync(app, ReferralApiTests.Manager);
        var token = await Browserless.AntiforgeryTokenAsync(manager, $"/children-services/referrals/{id}");
        await PostAsync(manager, $"/children-services/referrals/{id}?handler=Annotate",
            new() { ["version"] = "3", ["text"] = "Allegation found malicious by panel on 10 February 2026.", ["__RequestVerificationToken"] = token });
        await PostAsync(manager, $"/children-services/referrals/{id}?handler=Restrict",
            new() { ["version"] = "4", ["reason"] = "Malicious allegation.", ["__RequestVerificationToken"] = token });

        foreach (var (email, sees) in new[] { (ReferralApiTests.Triage, false), (ReferralApiTests.Manager, false), (ReferralApiTests.RecordsOfficer, true), ("auditor@riverside-council.example", true) })
        {
            var client = await Browserless.SignedInAsync(app, email);
            var html = await client.GetStringAsync($"/children-services/referrals/{id}");
            var annotation = html.IndexOf("data-testid=\"annotation\"", StringComparison.Ordinal);
            Assert.True(annotation > 0 && annotation < html.IndexOf("<h1", StringComparison.Ordinal), $"annotation first for {email}");
            Assert.Equal(sees, html.Contains("direct risk", StringComparison.Ordinal));
            Assert.Equal(!sees, html.Contains("data-testid=\"restricted\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Other_agencies_get_404_for_the_referral_page()
    {
        var id = await ReferByPoliceAsync();
        var office = await Browserless.SignedInAsync(app, ReferralApiTests.Caseworker);
        var response = await office.GetAsync($"/children-services/referrals/{id}");
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Redirect, response.StatusCode.ToString());
        Assert.DoesNotContain("direct risk", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Figures_are_svg_charts_with_tables()
    {
        await ReferByPoliceAsync();
        var manager = await Browserless.SignedInAsync(app, ReferralApiTests.Manager);
        var html = await manager.GetStringAsync("/children-services/figures");
        Assert.Contains("<svg role=\"img\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"table-per-week\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"table-outcomes\"", html, StringComparison.Ordinal);
        Assert.Contains("Awaiting triage", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Police_officer_refers_through_the_professional_form_and_it_is_shared_back()
    {
        var police = await Browserless.SignedInAsync(app, ReferralApiTests.Police);
        Assert.Contains("/refer/professional", await police.GetStringAsync("/"), StringComparison.Ordinal);
        var token = await Browserless.AntiforgeryTokenAsync(police, "/refer/professional");
        var form = PublicForm(token, childGiven: "Theo");
        form.Remove("Form.Anonymous");
        form["Form.ReferrerGivenName"] = "DC Sam Hale";
        var location = await PostAsync(police, "/refer/professional", form);
        Assert.Contains("REF-", location, StringComparison.Ordinal);
        await using var c = await app.Store.OpenConnectionAsync();
        await using var command = c.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM record_shares s JOIN sg_referrals r ON s.stream_id = 'referral:' || r.referral_id WHERE r.children LIKE 'Theo%' AND s.shared_with = 'harbourside-police' AND r.door = 'agency'";
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
    }
}
