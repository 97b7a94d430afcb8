using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Threshold.Infrastructure;

namespace Threshold.Harassment;

/// <summary>The caseworker's pages without JavaScript: log, filters, chart and table, upload, manual entry, contact and timeline.</summary>
public sealed class HarassmentPagesTests(TestApp app) : IClassFixture<TestApp>
{
    private Task<(string ContactId, string CorrespondentId)> PostAsync(string from, string body, string subject = "Your campaign") =>
        PostAsync(Mails.Message(from: from, subject: subject, body: body));

    private async Task<(string ContactId, string CorrespondentId)> PostAsync(MimeKit.MimeMessage message)
    {
        var api = await app.ApiClientAsync(HarassmentStore.Caseworker);
        var content = new ByteArrayContent(Mails.Bytes(message));
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        var created = await (await api.PostAsync("/api/v1/offices/alex-morgan-mp/contacts", content)).Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetString()!, created.GetProperty("correspondentId").GetString()!);
    }

    [Fact]
    public async Task The_log_lists_contacts_with_labels_a_weekly_chart_and_its_table_and_filters_by_label_and_words()
    {
        var name = $"Orla {Mails.UniqueSurname()}";
        await PostAsync($"{name} <orla.{Guid.NewGuid():n}@example.net>", "I know where you live, watch your back.", "warning");
        await PostAsync($"{name} <orla.{Guid.NewGuid():n}@example.net>", "Please fix the streetlight on Quay Lane.", "streetlight");
        var client = await Browserless.SignedInAsync(app, HarassmentStore.Caseworker);

        var html = await client.GetStringAsync("/harassment");
        Assert.Contains("data-testid=\"contacts-per-week-chart\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"contacts-per-week-table\"", html, StringComparison.Ordinal);
        Assert.Contains("role=\"img\"", html, StringComparison.Ordinal);

        var threats = await client.GetStringAsync("/harassment?label=threatening&q=watch+your+back");
        Assert.Contains("warning", threats, StringComparison.Ordinal);
        Assert.DoesNotContain("streetlight", threats, StringComparison.Ordinal);
        var letters = await client.GetStringAsync("/harassment?channel=letter&q=streetlight");
        Assert.DoesNotContain(">streetlight<", letters, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_contact_with_an_html_version_shows_it_on_request_as_escaped_text_with_what_its_markup_tried()
    {
        var message = Mails.Message(from: $"Ines {Mails.UniqueSurname()} <ines.{Guid.NewGuid():n}@example.net>", subject: "Both ways");
        message.Body = new MimeKit.MultipartAlternative
        {
            new MimeKit.TextPart("plain") { Text = "Stop ignoring me." },
            new MimeKit.TextPart("html") { Text = "<p>Stop <b>ignoring</b> me &amp; my &lt;letters&gt;.</p><script>alert('x')</script><img src=\"https://tracker.example/p.gif\">" },
        };
        var (contact, _) = await PostAsync(message);
        var client = await Browserless.SignedInAsync(app, HarassmentStore.Caseworker);

        var html = await client.GetStringAsync($"/harassment/contacts/{contact}");

        Assert.Contains("data-testid=\"html-alternative\"", html, StringComparison.Ordinal);
        Assert.Contains("Stop ignoring me &amp; my &lt;letters&gt;.", html, StringComparison.Ordinal);
        Assert.Contains("HTML: 1 script removed", html, StringComparison.Ordinal);
        Assert.Contains("HTML: 1 remote image not fetched", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);

        // A text-only e-mail has no HTML version to offer.
        var (plain, _) = await PostAsync($"Ines {Mails.UniqueSurname()} <ines.{Guid.NewGuid():n}@example.net>", "Text only.");
        Assert.DoesNotContain("html-alternative", await client.GetStringAsync($"/harassment/contacts/{plain}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_the_message_did_not_carry_says_so_and_header_text_is_only_ever_text()
    {
        var message = Mails.Message(from: $"Bea {Mails.UniqueSurname()} <bea.{Guid.NewGuid():n}@example.net>", subject: "Headers");
        message.Headers.Replace(MimeKit.HeaderId.Date, "<b>Tuesday</b>");
        var (contact, _) = await PostAsync(message);
        var client = await Browserless.SignedInAsync(app, HarassmentStore.Caseworker);

        var html = await client.GetStringAsync($"/harassment/contacts/{contact}");

        Assert.Contains("Reply-To</dt><dd class=\"govuk-summary-list__value\"><span class=\"govuk-hint govuk-!-margin-0\">not in the message</span>", html, StringComparison.Ordinal);
        Assert.Contains("Received</dt><dd class=\"govuk-summary-list__value\"><span class=\"govuk-hint govuk-!-margin-0\">not in the message</span>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Tuesday&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Tuesday</b>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_contact_shows_its_evidence_hash_label_reasons_and_the_body_only_as_text()
    {
        var (contact, correspondent) = await PostAsync($"Pim {Mails.UniqueSurname()} <pim.{Guid.NewGuid():n}@example.net>", "<script>alert('x')</script> You idiot.");
        var client = await Browserless.SignedInAsync(app, HarassmentStore.Caseworker);

        var html = await client.GetStringAsync($"/harassment/contacts/{contact}");
        Assert.Contains("data-testid=\"evidence-hash\"", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("idiot&#x201D; (insult) &#x2B;1", html, StringComparison.Ordinal);

        var timeline = await client.GetStringAsync($"/harassment/correspondents/{correspondent}");
        Assert.Contains("moj-timeline__item", timeline, StringComparison.Ordinal);
        Assert.Contains("new correspondent", timeline, StringComparison.Ordinal);

        // Confirming a label is a form post with its antiforgery token.
        var token = await Browserless.AntiforgeryTokenAsync(client, $"/harassment/contacts/{contact}");
        var review = await client.PostAsync($"/harassment/contacts/{contact}?handler=Review", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["label"] = "abusive", ["decision"] = "confirmed", ["note"] = "checked", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, review.StatusCode);
        Assert.Contains("checked", await client.GetStringAsync($"/harassment/contacts/{contact}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_files_upload_at_once_and_each_gets_its_result()
    {
        var client = await Browserless.SignedInAsync(app, HarassmentStore.Caseworker);
        var token = await Browserless.AntiforgeryTokenAsync(client, "/harassment");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
        };
        form.Add(new ByteArrayContent(Mails.Bytes(Mails.Message(from: $"Uma {Mails.UniqueSurname()} <uma.{Guid.NewGuid():n}@example.org>", subject: "first upload"))), "files", "one.eml");
        form.Add(new ByteArrayContent(Mails.Bytes(Mails.Message(from: $"Uma {Mails.UniqueSurname()} <uma.{Guid.NewGuid():n}@example.org>", subject: "second upload"))), "files", "two.eml");
        form.Add(new ByteArrayContent([]), "files", "empty.eml");

        var response = await client.PostAsync("/harassment?handler=Upload", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("2 imported, 0 already in the log, 1 rejected", html, StringComparison.Ordinal);
        Assert.Contains("empty.eml", html, StringComparison.Ordinal);
        Assert.Contains("first upload", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_phone_call_is_logged_by_hand_and_an_empty_account_is_refused_with_an_error()
    {
        var client = await Browserless.SignedInAsync(app, HarassmentStore.Caseworker);
        var token = await Browserless.AntiforgeryTokenAsync(client, "/harassment/new");
        var empty = await client.PostAsync("/harassment/new", new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { new StringContent("phone-call"), "Channel" } });
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("govuk-error-summary", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("phone-call"), "Channel" },
            { new StringContent("2026-03-04"), "OnDay" },
            { new StringContent($"Ray {Mails.UniqueSurname()}"), "Name" },
            { new StringContent("07700 900456"), "Phone" },
            { new StringContent("Rang about the ferry"), "Subject" },
            { new StringContent("Said he knows where the MP lives and will be visiting."), "Body" },
        };
        form.Add(new ByteArrayContent([0x89, 0x50, 0x4e, 0x47]), "Screenshot", "screen.png");
        var logged = await client.PostAsync("/harassment/new", form);
        Assert.Equal(HttpStatusCode.Redirect, logged.StatusCode);
        var page = await client.GetStringAsync(logged.Headers.Location!.ToString());
        Assert.Contains("Rang about the ferry", page, StringComparison.Ordinal);
        Assert.Contains("Phone call", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_caseworkers_see_the_log_and_it_is_in_their_navigation()
    {
        var police = await Browserless.SignedInAsync(app, "investigator@harbourside-police.example");
        var refused = await police.GetAsync("/harassment");
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);

        var office = await Browserless.SignedInAsync(app, HarassmentStore.Caseworker);
        var home = await office.GetStringAsync("/");
        Assert.Contains("href=\"/harassment\"", home, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync("/harassment/correspondents/cor-nope")).StatusCode);
    }
}
