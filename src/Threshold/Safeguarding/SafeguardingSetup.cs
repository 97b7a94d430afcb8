using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Threshold.Domain.Agencies;
using Threshold.Storage;
using Threshold.Storage.Blobs;
using Threshold.Storage.Safeguarding;
using Threshold.Web;

namespace Threshold.Safeguarding;

/// <summary>What the children's services front door adds to the web application (one call from each place in ThresholdWeb).</summary>
public static class SafeguardingSetup
{
    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<ReferralQueries>();
        services.AddSingleton<ReferralService>();
        services.AddSingleton<FrontDoor>();
        services.AddSingleton<FamilyLetters>();
        services.TryAddSingleton(sp => BlobStore.ForDataDirectory(sp.GetRequiredService<ThresholdStore>().DataDirectory));
    }

    /// <summary>
    /// The public door (no account) is limited per client address; professionals with a token and
    /// page views are not. The message says when to try again and what to do if a child is in danger.
    /// </summary>
    public static void AddRateLimit(RateLimiterOptions o) =>
        o.AddPolicy(ReferralsApi.PublicReferralRateLimit, ctx =>
            HttpMethods.IsPost(ctx.Request.Method) && string.IsNullOrWhiteSpace(ctx.Request.Headers.Authorization) && ctx.User.Identity?.IsAuthenticated != true
                // "Add another child" re-renders the form and writes nothing: it does not use up the allowance.
                && !string.Equals(ctx.Request.Query["handler"], "Add", StringComparison.OrdinalIgnoreCase)
                ? RateLimitPartition.GetFixedWindowLimiter("public:" + (ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = ReferralsApi.PublicReferralsPerWindow, Window = ReferralsApi.PublicWindow })
                : RateLimitPartition.GetNoLimiter("signed-in"));

    public const string RateLimitedMessage =
        "Too many referrals have been sent from your address in the last few minutes. Wait 10 minutes and try again. " +
        "If a child is in immediate danger, call 999 now.";

    /// <summary>
    /// A person flooding the public form (not the API) is sent to a page that says the same in words,
    /// with the 999 notice, rather than a JSON problem document. The page answers 429 itself.
    /// </summary>
    public static bool RedirectFormFlood(HttpContext http)
    {
        if (http.Request.Path.StartsWithSegments("/api"))
        {
            return false;
        }
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = "/refer/busy";
        return true;
    }

    public static void Pages(PageConventionCollection conventions)
    {
        conventions.AuthorizeFolder("/Safeguarding", ThresholdWeb.RolePolicy("children-services"));
        conventions.AllowAnonymousToPage("/Refer/Index");
        conventions.AllowAnonymousToPage("/Refer/Sent");
        conventions.AllowAnonymousToPage("/Refer/Busy");
        conventions.AddFolderApplicationModelConvention("/Refer", m => m.EndpointMetadata.Add(new EnableRateLimitingAttribute(ReferralsApi.PublicReferralRateLimit)));
    }

    /// <summary>Anyone in a children's services agency (the pages check each step's role themselves).</summary>
    public static void AddPolicies(Microsoft.AspNetCore.Authorization.AuthorizationOptions o) =>
        o.AddPolicy(ThresholdWeb.RolePolicy("children-services"), p => p.RequireClaim(Access.ThresholdClaims.AgencyKind, AgencyKind.ChildrenServices.ToSlug()));

    /// <summary>The front door's items in the header: work lists and figures for the council, "make a referral" for police.</summary>
    public static IEnumerable<(string Text, string Href)> Navigation(Access.CurrentUser user)
    {
        if (user.AgencyKind == AgencyKind.ChildrenServices.ToSlug() && !user.IsIn(Role.Administrator.Slug))
        {
            yield return ("Referrals", "/children-services");
            yield return ("Front door figures", "/children-services/figures");
        }
        if (user.AgencyKind == AgencyKind.Police.ToSlug() && (user.IsIn(Role.Investigator.Slug) || user.IsIn(Role.ContactHandler.Slug)))
        {
            yield return ("Make a referral", "/refer/professional");
        }
    }
}
