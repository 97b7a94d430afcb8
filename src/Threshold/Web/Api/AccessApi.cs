using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Threshold.Access;
using Threshold.Administration;
using Threshold.Storage.Ledger;

namespace Threshold.Web.Api;

public sealed record TokenRequest(string? Email, string? Password);

public sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt);

public sealed record MeResponse(string UserId, string Email, string DisplayName, string Agency, string AgencyName, IReadOnlyList<string> Roles);

public sealed record RecordEvent(long Version, string Type, string RecordedAt, string Actor, System.Text.Json.JsonElement Data, string Hash);

public sealed record RecordResponse(string Id, string Agency, IReadOnlyList<RecordEvent> Events);

/// <summary>Tokens, who-am-I, and reading one record through the gateway.</summary>
public static class AccessApi
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromDays(30);

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Access");

        api.MapPost("/tokens", IssueTokenAsync)
            .AllowAnonymous()
            .RequireRateLimiting(ThresholdWeb.SignInRateLimit)
            .WithSummary("Exchange an e-mail and password for a bearer token")
            .WithDescription("Counts toward lock-out like a sign-in. The token is shown once; only its SHA-256 is kept.");

        api.MapGet("/me", (HttpContext http) =>
        {
            var user = CurrentUser.From(http.User)!;
            return TypedResults.Ok(new MeResponse(user.UserId, user.Email, user.DisplayName, user.AgencyId, user.AgencyName, user.Roles));
        }).RequireAuthorization("api").WithSummary("The signed-in user");

        api.MapGet("/records/{id}", ReadRecordAsync)
            .RequireAuthorization("api")
            .WithSummary("A record's full history, through the audited read gateway")
            .WithDescription("404 when the record does not exist or belongs to another agency that has not shared it; either way the attempt is audited.");
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueTokenAsync(
        TokenRequest? request, UserManager<ThresholdUser> users, SignInManager<ThresholdUser> signIn,
        AdministrationService administration, CancellationToken ct)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.Problem(title: "Bad request", detail: "Send {\"email\": …, \"password\": …}.", statusCode: StatusCodes.Status400BadRequest);
        }
        var user = await users.FindByEmailAsync(request.Email);
        if (user is null)
        {
            return InvalidCredentials();
        }
        var check = await signIn.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: true);
        if (check.IsLockedOut)
        {
            return TypedResults.Problem(title: "Locked out", detail: "Too many wrong passwords: this account is locked for a while.", statusCode: StatusCodes.Status423Locked);
        }
        if (!check.Succeeded)
        {
            return InvalidCredentials();
        }
        var (token, expires) = await administration.IssueTokenAsync(user.Email, TokenLifetime, $"user:{user.Email}", ct);
        return TypedResults.Ok(new TokenResponse(token, expires));
    }

    private static ProblemHttpResult InvalidCredentials() =>
        TypedResults.Problem(title: "Sign-in failed", detail: "The e-mail address or password is not right.", statusCode: StatusCodes.Status401Unauthorized);

    private static async Task<Results<Ok<RecordResponse>, ProblemHttpResult>> ReadRecordAsync(
        string id, HttpContext http, ReadGateway gateway, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        var events = await gateway.ReadStreamAsync(user, id, ReadChannel.Api, "API record read", ct);
        if (events is null)
        {
            return TypedResults.Problem(title: "Not found", detail: $"There is no record '{id}' that you can see.", statusCode: StatusCodes.Status404NotFound);
        }
        return TypedResults.Ok(new RecordResponse(id, events[0].AgencyId, [.. events.Select(ToApi)]));
    }

    public static RecordEvent ToApi(StoredEvent e)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(e.Payload);
        return new RecordEvent(e.StreamVersion, e.Type, e.RecordedAt, e.Actor, doc.RootElement.Clone(), Convert.ToHexStringLower(e.Hash));
    }
}
