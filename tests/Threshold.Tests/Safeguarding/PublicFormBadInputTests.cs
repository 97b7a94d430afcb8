using System.Net;
using Threshold.Infrastructure;

namespace Threshold.Safeguarding;

/// <summary>
/// Issue 5's bad input on the public form itself (the API's are in ReferralApiTests): missing
/// required fields, absurd dates of birth, 100 KB of text, script tags — each shown back in the
/// error summary, pointing at its field, with nothing written. Refused posts count towards the
/// public door's allowance (5 per 10 minutes per address), so the cases are split over two servers.
/// </summary>
public abstract class PublicFormBadInputContract(TestApp app)
{
    private async Task<long> LedgerReferralsAsync()
    {
        await using var c = await app.Store.OpenConnectionAsync();
        await using var command = c.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM ledger_events WHERE stream_id LIKE 'referral:%'";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    protected async Task AssertRefusedAsync(string field, string value, string anchor, string message)
    {
        var client = app.Client();
        var token = await Browserless.AntiforgeryTokenAsync(client, "/refer");
        var form = ReferralPageTests.PublicForm(token);
        if (field == "Form.Children[0].GivenName")
        {
            form.Remove("Form.Children[0].FamilyName");
            form.Remove("Form.Children[0].DateOfBirth");
        }
        form[field] = value;
        var before = await LedgerReferralsAsync();
        var html = await ReferralPageTests.PostAsync(client, "/refer", form, HttpStatusCode.OK);
        Assert.Contains("govuk-error-summary", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{anchor}\"", html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Equal(before, await LedgerReferralsAsync());
    }
}

public sealed class PublicFormMissingAndAbsurdTests(TestApp app) : PublicFormBadInputContract(app), IClassFixture<TestApp>
{
    [Theory]
    [InlineData("Form.Children[0].GivenName", "", "#form-children-0-given-name", "Name at least one child")]
    [InlineData("Form.Children[0].DateOfBirth", "1850-01-01", "#form-children-0-date-of-birth", "18 or older")]
    [InlineData("Form.Children[0].DateOfBirth", "2099-01-01", "#form-children-0-date-of-birth", "future")]
    [InlineData("Form.Children[0].DateOfBirth", "31/02/2016", "#form-children-0-date-of-birth", "yyyy-mm-dd")]
    public Task Missing_child_and_absurd_dates_of_birth_are_refused_at_their_field(string field, string value, string anchor, string message) =>
        AssertRefusedAsync(field, value, anchor, message);
}

public sealed class PublicFormTextTests(TestApp app) : PublicFormBadInputContract(app), IClassFixture<TestApp>
{
    [Theory]
    [InlineData("Form.Concern", 100 * 1024, "#form-concern", "too long")]
    [InlineData("Form.Concern", 0, "#form-concern", "Describe the concern")]
    [InlineData("Form.SourceOfKnowledge", -1, "#form-source-of-knowledge", "")]
    public Task Hundred_kilobytes_missing_concern_and_unknown_source_are_refused_at_their_field(string field, int length, string anchor, string message) =>
        AssertRefusedAsync(field, length > 0 ? new string('x', length) : length == 0 ? "" : "gossip", anchor, message);
}

/// <summary>A flood of public form posts from one address: a page that says so in words, answered 429; "add another child" does not count.</summary>
public sealed class PublicFormFloodTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task A_flood_of_form_posts_is_sent_to_a_page_that_says_wait_and_call_999()
    {
        var client = app.Client();
        var token = await Browserless.AntiforgeryTokenAsync(client, "/refer");
        var form = ReferralPageTests.PublicForm(token);
        for (var i = 0; i < ReferralsApi.PublicReferralsPerWindow + 3; i++)
        {
            await ReferralPageTests.PostAsync(client, "/refer?handler=Add&what=child", form, HttpStatusCode.OK);
        }
        for (var i = 0; i < ReferralsApi.PublicReferralsPerWindow; i++)
        {
            Assert.StartsWith("/refer/sent", await ReferralPageTests.PostAsync(client, "/refer", form), StringComparison.Ordinal);
        }
        var refused = await client.PostAsync("/refer", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.SeeOther, refused.StatusCode);
        Assert.Equal("/refer/busy", refused.Headers.Location?.ToString());
        var busy = await client.GetAsync("/refer/busy");
        Assert.Equal(HttpStatusCode.TooManyRequests, busy.StatusCode);
        var html = await busy.Content.ReadAsStringAsync();
        Assert.Contains("Wait 10 minutes", html, StringComparison.Ordinal);
        Assert.Contains("call 999", html, StringComparison.Ordinal);
    }
}
