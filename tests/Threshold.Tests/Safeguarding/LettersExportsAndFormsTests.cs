using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Threshold.Infrastructure;
using UglyToad.PdfPig;

namespace Threshold.Safeguarding;

/// <summary>
/// The family letter and the subject access export read back as a person would (text extracted from
/// the PDF with PdfPig), the referral page's letter and feedback history, the strategy discussion
/// through the page form, and several children on the no-JavaScript form.
/// </summary>
public sealed class LettersExportsAndFormsTests(TestApp app) : IClassFixture<TestApp>
{
    private static string PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(p => p.Text));
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<string> ReferAsync(string given, string family = "Ashdown", string carerBorn = "1983-11-20", string postcode = "RV2 4LL")
    {
        var police = await app.ApiClientAsync(ReferralApiTests.Police);
        var response = await police.PostAsJsonAsync("/api/v1/referrals", new
        {
            localAuthority = "riverside-council",
            children = new[] { new { givenName = given, familyName = family, dateOfBirth = "2015-09-01", address = new { postcode } } },
            carers = new[] { new { givenName = "Jordan", familyName = family, dateOfBirth = carerBorn, role = "father", address = new { postcode } } },
            referrer = new { person = new { givenName = "Sam", familyName = "Hale" }, relationship = "investigating officer", sourceOfKnowledge = "second-hand" },
            concern = "A caller alleged the father leaves the children alone.",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<List<JsonElement>> EventsAsync(string streamId, string type)
    {
        var records = await app.ApiClientAsync(ReferralApiTests.RecordsOfficer);
        var record = await records.GetFromJsonAsync<JsonElement>($"/api/v1/records/{streamId}");
        return [.. record.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("type").GetString() == type).Select(e => e.GetProperty("data"))];
    }

    private static string Field(JsonElement data, string name) =>
        data.EnumerateObject().First(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value.ToString();

    [Fact]
    public async Task Family_letter_is_a_pdf_whose_sha256_is_the_one_recorded_and_never_names_the_referrer()
    {
        var id = await ReferAsync("Noah");
        var triage = await app.ApiClientAsync(ReferralApiTests.Triage);
        Assert.Equal(HttpStatusCode.OK, (await triage.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/triage", new { decision = "no-further-action", reasons = "No role for children's services." })).StatusCode);
        var sw = await app.ApiClientAsync(ReferralApiTests.SocialWorker);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await sw.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/family-letter", new { text = " " })).StatusCode);

        var response = await sw.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/family-letter", new { text = "Jordan Ashdown" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        var text = PdfText(pdf);
        Assert.Contains("Dear Jordan Ashdown", text, StringComparison.Ordinal);
        Assert.Contains("Noah Ashdown", text, StringComparison.Ordinal);
        Assert.Contains("Outcome:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Hale", text, StringComparison.Ordinal);

        var informed = Assert.Single(await EventsAsync($"referral:{id}", "FamilyInformed"));
        Assert.Equal(Sha256(pdf), Field(informed, "letterSha256"));
        Assert.Equal(Sha256(pdf), response.Headers.GetValues("X-Letter-Sha256").Single());
        var copy = await sw.GetByteArrayAsync($"/api/v1/children-services/referrals/{id}/family-letters/{Sha256(pdf)}");
        Assert.Equal(pdf, copy);
        Assert.Equal(HttpStatusCode.NotFound, (await sw.GetAsync($"/api/v1/children-services/referrals/{id}/family-letters/{new string('a', 64)}")).StatusCode);
    }

    [Fact]
    public async Task Malicious_finding_is_told_to_the_family_as_unfounded_in_the_pdf()
    {
        var id = await ReferAsync("Poppy", "Brackley");
        var manager = await app.ApiClientAsync(ReferralApiTests.Manager);
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/triage", new { decision = "no-further-action", reasons = "Nothing to suggest harm." })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/finding", new { finding = "malicious", reasons = "The caller admitted inventing it." })).StatusCode);
        var early = await manager.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/family-letter", new { text = "Jordan Brackley" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        Assert.Contains("MaliciousFindingNeedsManagerConfirmation", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/finding/confirmation", new { text = "Confirmed at panel." })).StatusCode);
        var pdf = await (await manager.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/family-letter", new { text = "Jordan Brackley" })).Content.ReadAsByteArrayAsync();
        var text = PdfText(pdf);
        Assert.Contains("unfounded", text, StringComparison.Ordinal);
        Assert.DoesNotContain("malicious", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Subject_access_pdf_shows_the_referrer_redacted_until_lifted_and_each_export_is_recorded_with_its_hash()
    {
        var first = await ReferAsync("Isla", "Penhallow", carerBorn: "1979-04-17", postcode: "RV8 1PX");
        var records = await app.ApiClientAsync(ReferralApiTests.RecordsOfficer);
        var created = await records.PostAsJsonAsync("/api/v1/children-services/subject-access-requests",
            new { subject = new { givenName = "Jordan", familyName = "Penhallow", dateOfBirth = "1979-04-17", address = new { postcode = "RV8 1PX" } } });
        var sarId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var response = await records.GetAsync($"/api/v1/children-services/subject-access-requests/{sarId}/export.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        var text = PdfText(pdf);
        Assert.Contains("Isla Penhallow", text, StringComparison.Ordinal);
        Assert.Contains("[redacted: third party]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Hale", text, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await records.PostAsJsonAsync($"/api/v1/children-services/subject-access-requests/{sarId}/redactions", new { referralId = first, reason = "The officer consented to disclosure." })).StatusCode);
        var lifted = PdfText(await records.GetByteArrayAsync($"/api/v1/children-services/subject-access-requests/{sarId}/export.pdf"));
        Assert.Contains("Sam Hale", lifted, StringComparison.Ordinal);
        // The reason may wrap onto the next line of the PDF: compare without white space.
        Assert.Contains("Theofficerconsentedtodisclosure.", string.Concat(lifted.Where(c => !char.IsWhiteSpace(c))), StringComparison.Ordinal);
        Assert.DoesNotContain("[redacted: third party]", lifted, StringComparison.Ordinal);

        var exports = await EventsAsync($"sar:{sarId}", "SubjectAccessExported");
        Assert.Equal(2, exports.Count);
        Assert.All(exports, e => Assert.Equal("pdf", Field(e, "format")));
        Assert.Equal(Sha256(pdf), Field(exports[0], "sha256"));
        Assert.Equal(HttpStatusCode.NotFound, (await records.GetAsync($"/api/v1/children-services/subject-access-requests/{sarId}/export.docx")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ApiClientAsync(ReferralApiTests.Triage)).GetAsync($"/api/v1/children-services/subject-access-requests/{sarId}/export.pdf")).StatusCode);
    }

    [Fact]
    public async Task Manager_records_the_strategy_discussion_through_the_page_form()
    {
        var id = await ReferAsync("Arlo", "Kestrel");
        var triage = await app.ApiClientAsync(ReferralApiTests.Triage);
        Assert.Equal(HttpStatusCode.OK, (await triage.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/triage", new { decision = "strategy-discussion", reasons = "Reasonable cause to suspect significant harm." })).StatusCode);
        var manager = await Browserless.SignedInAsync(app, ReferralApiTests.Manager);
        var path = $"/children-services/referrals/{id}";
        Assert.Contains("data-testid=\"strategy-form\"", await manager.GetStringAsync(path), StringComparison.Ordinal);
        var token = await Browserless.AntiforgeryTokenAsync(manager, path);
        var form = new Dictionary<string, string>
        {
            ["version"] = "4", ["heldOn"] = Threshold.Domain.Calendar.LondonTime.DateOf(app.Clock.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["chair"] = "Ruth Castell",
            ["attendees"] = "Ruth Castell, Riverside Borough Council, chair\nDC Sam Hale, Harbourside Police, investigator\nDr Imogen Vale, Riverside Health, named doctor",
            ["information"] = "Police disclosure; school attendance.", ["decision"] = "section-47", ["rationale"] = "Threshold for s.47 met.",
            ["__RequestVerificationToken"] = token,
        };
        var noDate = new Dictionary<string, string>(form) { ["heldOn"] = "10/02/2026" };
        var refused = await ReferralPageTests.PostAsync(manager, $"{path}?handler=Strategy", noDate, HttpStatusCode.OK);
        Assert.Contains("yyyy-mm-dd", refused, StringComparison.Ordinal);
        var done = await ReferralPageTests.PostAsync(manager, $"{path}?handler=Strategy", form);
        Assert.Contains("done=strategy", done, StringComparison.Ordinal);
        var html = await manager.GetStringAsync(done);
        Assert.Contains("Strategy discussion recorded.", html, StringComparison.Ordinal);
        Assert.Contains("Dr Imogen Vale (Riverside Health, named doctor)", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"outcome-form\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Referral_page_sends_the_letter_records_feedback_and_shows_both_histories()
    {
        var id = await ReferAsync("Wren", "Tolland");
        var sw = await Browserless.SignedInAsync(app, ReferralApiTests.SocialWorker);
        var path = $"/children-services/referrals/{id}";
        var before = await sw.GetStringAsync(path);
        Assert.Contains("data-testid=\"letters-none\"", before, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"feedback-none\"", before, StringComparison.Ordinal);
        var token = await Browserless.AntiforgeryTokenAsync(sw, path);
        await ReferralPageTests.PostAsync(sw, $"{path}?handler=Triage", new() { ["version"] = "3", ["decision"] = "early-help", ["reasons"] = "Family support offered.", ["__RequestVerificationToken"] = token });
        await ReferralPageTests.PostAsync(sw, $"{path}?handler=Letter", new() { ["version"] = "4", ["recipient"] = "Jordan Tolland", ["__RequestVerificationToken"] = token });
        await ReferralPageTests.PostAsync(sw, $"{path}?handler=Feedback", new() { ["version"] = "5", ["feedback"] = "Thank you: we are offering the family support.", ["__RequestVerificationToken"] = token });

        var html = await sw.GetStringAsync(path);
        Assert.Contains("data-testid=\"letters\"", html, StringComparison.Ordinal);
        Assert.Contains("Jordan Tolland", html, StringComparison.Ordinal);
        Assert.Contains("Thank you: we are offering the family support.", html, StringComparison.Ordinal);
        var informed = Assert.Single(await EventsAsync($"referral:{id}", "FamilyInformed"));
        var sha = Field(informed, "letterSha256");
        Assert.Contains($"handler=Letter&amp;sha={sha}", html, StringComparison.Ordinal);
        var pdf = await sw.GetByteArrayAsync($"{path}?handler=Letter&sha={sha}");
        Assert.Equal(sha, Sha256(pdf));
        Assert.Contains("Dear Jordan Tolland", PdfText(pdf), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Public_form_takes_several_children_and_carers_without_javascript()
    {
        var client = app.Client();
        var token = await Browserless.AntiforgeryTokenAsync(client, "/refer");
        var form = ReferralPageTests.PublicForm(token, childGiven: "Hazel");
        form["Form.Carers[0].GivenName"] = "Morgan";
        form["Form.Carers[0].FamilyName"] = "Lockwood";
        form["Form.Carers[0].Role"] = "mother";
        var twice = await ReferralPageTests.PostAsync(client, "/refer?handler=Add&what=child", form, HttpStatusCode.OK);
        Assert.Equal(2, CountOf(twice, "data-testid=\"child-fieldset\""));
        Assert.Contains("value=\"Hazel\"", twice, StringComparison.Ordinal);
        Assert.Contains("id=\"form-children-1-given-name\"", twice, StringComparison.Ordinal);
        Assert.DoesNotContain("govuk-error-summary", twice, StringComparison.Ordinal);
        Assert.Contains("action=\"/refer\"", twice, StringComparison.Ordinal);
        form["Form.Children[1].GivenName"] = "Rowan";
        form["Form.Children[1].FamilyName"] = "Lockwood";
        form["Form.Children[1].DateOfBirth"] = "2021-07-30";
        var carers = await ReferralPageTests.PostAsync(client, "/refer?handler=Add&what=carer", form, HttpStatusCode.OK);
        Assert.Equal(2, CountOf(carers, "data-testid=\"carer-fieldset\""));
        Assert.Equal(2, CountOf(carers, "data-testid=\"child-fieldset\""));
        form["Form.Carers[1].GivenName"] = "Dale";
        form["Form.Carers[1].FamilyName"] = "Lockwood";
        form["Form.Carers[1].Role"] = "stepfather";

        // A bad date of birth on the second child points at that child's field.
        var bad = new Dictionary<string, string>(form) { ["Form.Children[1].DateOfBirth"] = "2099-01-01" };
        var refused = await ReferralPageTests.PostAsync(client, "/refer", bad, HttpStatusCode.OK);
        Assert.Contains("href=\"#form-children-1-date-of-birth\"", refused, StringComparison.Ordinal);

        var location = await ReferralPageTests.PostAsync(client, "/refer", form);
        Assert.StartsWith("/refer/sent?reference=REF-", location, StringComparison.Ordinal);
        await using var c = await app.Store.OpenConnectionAsync();
        await using var command = c.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sg_referral_people p JOIN sg_referrals r ON r.referral_id = p.referral_id WHERE r.reference = @reference";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@reference";
        parameter.Value = location["/refer/sent?reference=".Length..];
        command.Parameters.Add(parameter);
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 4, "two children and two carers recorded");
    }

    [Fact]
    public async Task Professional_form_adds_another_child_and_parent_and_keeps_posting_to_itself()
    {
        var police = await Browserless.SignedInAsync(app, ReferralApiTests.Police);
        var token = await Browserless.AntiforgeryTokenAsync(police, "/refer/professional");
        var form = ReferralPageTests.PublicForm(token, childGiven: "Juniper");
        form.Remove("Form.Anonymous");
        var html = await ReferralPageTests.PostAsync(police, "/refer/professional?handler=Add&what=child", form, HttpStatusCode.OK);
        Assert.Equal(2, CountOf(html, "data-testid=\"child-fieldset\""));
        form["Form.Children[1].GivenName"] = "Sorrel";
        html = await ReferralPageTests.PostAsync(police, "/refer/professional?handler=Add&what=carer", form, HttpStatusCode.OK);
        Assert.Equal(2, CountOf(html, "data-testid=\"child-fieldset\""));
        Assert.Equal(2, CountOf(html, "data-testid=\"carer-fieldset\""));
        Assert.Contains("action=\"/refer/professional\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Juniper\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Sorrel\"", html, StringComparison.Ordinal);
    }

    private static int CountOf(string html, string what)
    {
        var count = 0;
        for (var i = html.IndexOf(what, StringComparison.Ordinal); i >= 0; i = html.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
