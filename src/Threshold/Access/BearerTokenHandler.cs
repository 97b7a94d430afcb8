using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Threshold.Storage.Administration;

namespace Threshold.Access;

/// <summary>
/// Per-user API bearer tokens. A missing or empty <c>Authorization</c> header is anonymous (public
/// routes serve it); an unknown, revoked or expired token fails, so protected routes answer 401.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdministrationQueries queries,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <token>'.");
        }
        var token = header[7..].Trim();
        var row = await queries.FindTokenAsync(ApiTokens.Sha256(token), Context.RequestAborted);
        if (row is null || row.Revoked != 0)
        {
            return AuthenticateResult.Fail("The bearer token is not known or was revoked.");
        }
        if (DateTimeOffset.Parse(row.ExpiresAt, System.Globalization.CultureInfo.InvariantCulture) <= clock.GetUtcNow())
        {
            return AuthenticateResult.Fail("The bearer token has expired. Ask for a new one with POST /api/v1/tokens.");
        }
        var user = await queries.FindUserByIdAsync(row.UserId, Context.RequestAborted);
        if (user is null)
        {
            return AuthenticateResult.Fail("The bearer token's user no longer exists.");
        }
        var agency = await queries.FindAgencyAsync(user.AgencyId, Context.RequestAborted);
        var identity = new ClaimsIdentity(ThresholdClaims.For(user.UserId, user.Email, user.DisplayName, user.AgencyId, agency, user.RoleList), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            title: "Sign-in required",
            detail: failure ?? "This route needs a bearer token: POST your e-mail and password to /api/v1/tokens to get one.",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Results.Problem(
            title: "Not allowed",
            detail: "Your role does not allow this.",
            statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(Context);
    }
}
