using System.Net;
using Threshold.Administration;
using Threshold.Infrastructure;

namespace Threshold.Access;

public abstract class SignInContract
{
    protected abstract TestApp App { get; }

    [Fact]
    public async Task Health_answers_200_when_the_store_answers()
    {
        var response = await App.Client().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ok", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_document_lists_the_token_route()
    {
        var json = await App.Client().GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/tokens", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_carry_a_content_security_policy_and_the_demo_banner()
    {
        var response = await App.Client().GetAsync("/sign-in");
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("govuk-phase-banner", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_visitor_is_sent_to_sign_in()
    {
        var response = await App.Client().GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/sign-in", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Right_password_signs_in_and_shows_the_role_home_page()
    {
        var client = await Browserless.SignedInAsync(App, "investigator@harbourside-police.example");
        var home = await client.GetStringAsync("/");
        Assert.Contains("Investigating officer", home, StringComparison.Ordinal);
        Assert.Contains("Harbourside Police", home, StringComparison.Ordinal);
        Assert.Contains("DC Sam Hale", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_gets_a_generic_message_and_counts_toward_lock_out()
    {
        var email = "failing-once@alex-morgan-mp.example";
        await App.Administration.AddUserAsync("alex-morgan-mp", email, "caseworker", "Pat Lorne", null, "correct-horse-battery", "test");
        var client = App.Client();

        var response = await Browserless.PostSignInAsync(client, email, "wrong-password!");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("The e-mail address or password is not right.", html, StringComparison.Ordinal);
        var user = await new Storage.Administration.AdministrationQueries(App.Store).FindUserByEmailAsync(email);
        Assert.Equal(1, user!.FailedCount);
    }

    [Fact]
    public async Task Unknown_email_gets_the_same_generic_message()
    {
        var response = await Browserless.PostSignInAsync(App.Client(), "nobody@nowhere.example", "whatever-password");
        Assert.Contains("The e-mail address or password is not right.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var email = "locked@alex-morgan-mp.example";
        await App.Administration.AddUserAsync("alex-morgan-mp", email, "caseworker", "Sol Brandt", null, "correct-horse-battery", "test");
        var client = App.Client();
        for (var i = 0; i < 5; i++)
        {
            await Browserless.PostSignInAsync(client, email, "not-the-password");
        }

        var response = await Browserless.PostSignInAsync(client, email, "correct-horse-battery");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("locked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var audit = await new Storage.Administration.AdministrationQueries(App.Store).AuditLogAsync("alex-morgan-mp", "sign-in", null, 50);
        Assert.Contains(audit, a => a.EventType == "UserLockedOut" && a.Summary.Contains(email, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sign_in_without_the_antiforgery_token_is_refused()
    {
        var client = App.Client();
        await client.GetAsync("/sign-in");
        var response = await client.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "investigator@harbourside-police.example",
            ["Password"] = DemoSeed.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("threshold=", response.Headers.TryGetValues("Set-Cookie", out var cookies) ? string.Join(";", cookies) : "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_out_is_a_post_and_ends_the_session()
    {
        var client = await Browserless.SignedInAsync(App, "caseworker@alex-morgan-mp.example");
        var token = await Browserless.AntiforgeryTokenAsync(client, "/");
        var response = await client.PostAsync("/sign-out", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }
}

public sealed class SignInTests(TestApp app) : SignInContract, IClassFixture<TestApp>
{
    protected override TestApp App => app;
}

/// <summary>The same sign-in, lock-out and antiforgery rules on PostgreSQL.</summary>
[Collection("postgres")]
public sealed class SignInOnPostgresTests(PostgresServer postgres) : SignInContract, IAsyncLifetime
{
    private readonly TestApp _app = new(postgres.ConnectionStringFor(PostgresServer.NewSchemaName("signin")));

    protected override TestApp App => _app;

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();
}
