using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Threshold.Administration;
using Threshold.Infrastructure;

namespace Threshold.Access;

public sealed class ApiTokenTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Right_password_gets_a_token_that_works()
    {
        var client = await app.ApiClientAsync("supervisor@harbourside-police.example");
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("harbourside-police", me.GetProperty("agency").GetString());
        Assert.Contains("supervisor", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Wrong_password_gets_401_problem_and_no_token()
    {
        var response = await app.Client().PostAsJsonAsync("/api/v1/tokens", new { email = "supervisor@harbourside-police.example", password = "nope-nope-nope" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("token\":", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_token_request_gets_400_problem()
    {
        var response = await app.Client().PostAsync("/api/v1/tokens", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Protected_route_without_a_token_gets_401(string? header)
    {
        var client = app.Client();
        if (header is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        }
        var response = await client.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Public_route_treats_an_empty_authorization_header_as_anonymous()
    {
        var client = app.Client();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "");
        var response = await client.PostAsJsonAsync("/api/v1/tokens", new { email = "caseworker@alex-morgan-mp.example", password = DemoSeed.Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Expired_token_gets_401()
    {
        var (token, _) = await app.Administration.IssueTokenAsync("social-worker@riverside-council.example", TimeSpan.FromMinutes(5), "test");
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);

        app.Clock.Advance(TimeSpan.FromMinutes(6));

        var response = await client.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_token_gets_401()
    {
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "thr_not-a-real-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task A_token_is_kept_only_as_its_hash()
    {
        var (token, _) = await app.Administration.IssueTokenAsync("manager@riverside-council.example", TimeSpan.FromDays(1), "test");
        await foreach (var e in app.Store.Ledger.ReadAllAsync(0))
        {
            Assert.DoesNotContain(token, e.Payload, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Unknown_api_route_gets_a_problem_document_not_a_page()
    {
        var client = await app.ApiClientAsync("caseworker@alex-morgan-mp.example");
        var response = await client.GetAsync("/api/v1/no-such-route");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
