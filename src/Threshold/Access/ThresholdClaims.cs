using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Threshold.Storage.Administration;

namespace Threshold.Access;

/// <summary>The claims every signed-in principal carries, by cookie or by bearer token.</summary>
public static class ThresholdClaims
{
    public const string Agency = "threshold:agency";
    public const string AgencyName = "threshold:agency-name";
    public const string AgencyKind = "threshold:agency-kind";
    public const string AgencyColour = "threshold:agency-colour";
    public const string DisplayName = "threshold:display-name";

    public static IEnumerable<Claim> For(string userId, string email, string displayName, string agencyId, AgencyRow? agency, IEnumerable<string> roles)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, userId);
        yield return new Claim(ClaimTypes.Name, email);
        yield return new Claim(ClaimTypes.Email, email);
        yield return new Claim(DisplayName, displayName);
        yield return new Claim(Agency, agencyId);
        yield return new Claim(AgencyName, agency?.Name ?? agencyId);
        yield return new Claim(AgencyKind, agency?.Kind ?? "");
        if (agency?.Colour is { } colour)
        {
            yield return new Claim(AgencyColour, colour);
        }
        foreach (var role in roles)
        {
            yield return new Claim(ClaimTypes.Role, role);
        }
    }
}

/// <summary>Who is asking, read once from the principal.</summary>
public sealed record CurrentUser(string UserId, string Email, string DisplayName, string AgencyId, string AgencyName, string AgencyKind, string? AgencyColour, IReadOnlyList<string> Roles)
{
    public static CurrentUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true || principal.FindFirstValue(ThresholdClaims.Agency) is not { } agency)
        {
            return null;
        }
        return new CurrentUser(
            principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
            principal.FindFirstValue(ClaimTypes.Name) ?? "",
            principal.FindFirstValue(ThresholdClaims.DisplayName) ?? "",
            agency,
            principal.FindFirstValue(ThresholdClaims.AgencyName) ?? agency,
            principal.FindFirstValue(ThresholdClaims.AgencyKind) ?? "",
            principal.FindFirstValue(ThresholdClaims.AgencyColour),
            [.. principal.FindAll(ClaimTypes.Role).Select(c => c.Value)])
        {
            Door = principal.Identity.AuthenticationType == BearerTokenHandler.SchemeName ? ReadChannel.Api : ReadChannel.Page,
        };
    }

    /// <summary>How the user came in: the API with a bearer token, or the pages with a signed-in session. A read made on their behalf is audited with it.</summary>
    public ReadChannel Door { get; init; } = ReadChannel.Api;

    public bool IsIn(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public string Actor => $"user:{Email}";
}

/// <summary>Builds the cookie principal with the agency claims, so pages need no look-up per request.</summary>
public sealed class ThresholdClaimsFactory(UserManager<ThresholdUser> users, IOptions<IdentityOptions> options, AdministrationQueries queries)
    : UserClaimsPrincipalFactory<ThresholdUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ThresholdUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        var agency = await queries.FindAgencyAsync(user.AgencyId);
        foreach (var claim in ThresholdClaims.For(user.Id, user.Email, user.DisplayName, user.AgencyId, agency, user.Roles))
        {
            if (claim.Type is ClaimTypes.NameIdentifier or ClaimTypes.Name || (claim.Type == ClaimTypes.Email && identity.HasClaim(c => c.Type == ClaimTypes.Email)))
            {
                continue;
            }
            identity.AddClaim(claim);
        }
        return identity;
    }
}
