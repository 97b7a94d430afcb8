using System.Net;
using Threshold.Administration;
using Threshold.Domain.Agencies;
using Threshold.Infrastructure;

namespace Threshold.Access;

/// <summary>Each demo role's allowed and refused pages.</summary>
public sealed class RolePageTests(TestApp app) : IClassFixture<TestApp>
{
    public static IEnumerable<object[]> DemoUsers() => DemoSeed.Users.Select(u => new object[] { u.Email, u.Role });

    [Theory]
    [MemberData(nameof(DemoUsers))]
    public async Task Every_role_sees_its_own_home_page(string email, string role)
    {
        var client = await Browserless.SignedInAsync(app, email);
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Role.TryParse(role, out var parsed);
        Assert.Contains(parsed.Title, html, StringComparison.Ordinal);
        Assert.Contains($"data-role=\"{role}\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DemoUsers))]
    public async Task Only_auditors_open_the_audit_log(string email, string role)
    {
        var client = await Browserless.SignedInAsync(app, email);
        var response = await client.GetAsync("/audit");
        var home = await client.GetStringAsync("/");
        Assert.Equal(role == "auditor", home.Contains("href=\"/audit\"", StringComparison.Ordinal));
        if (role == "auditor")
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Audit log", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/forbidden", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Administrators_see_their_own_agencys_users_only()
    {
        var client = await Browserless.SignedInAsync(app, "administrator@riverside-council.example");
        var html = await client.GetStringAsync("/");
        Assert.Contains("triage-worker@riverside-council.example", html, StringComparison.Ordinal);
        Assert.DoesNotContain("investigator@harbourside-police.example", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caseworker_does_not_see_the_user_list()
    {
        var client = await Browserless.SignedInAsync(app, "caseworker@alex-morgan-mp.example");
        var html = await client.GetStringAsync("/");
        Assert.DoesNotContain("data-testid=\"users\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_auditors_log_shows_sign_ins_of_their_agency()
    {
        await Browserless.SignedInAsync(app, "manager@riverside-council.example");
        var client = await Browserless.SignedInAsync(app, "auditor@riverside-council.example");
        var html = await client.GetStringAsync("/audit?category=sign-in");
        Assert.Contains("Signed in as manager@riverside-council.example", html, StringComparison.Ordinal);
        Assert.DoesNotContain("harbourside-police.example", html, StringComparison.Ordinal);
    }
}
