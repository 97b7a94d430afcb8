using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Threshold.Access;
using Threshold.Domain;
using Threshold.Domain.Agencies;
using Threshold.Domain.Calendar;
using Threshold.Domain.Safeguarding;
using Threshold.Policing;
using Threshold.Storage.Ledger;
using Threshold.Web;

namespace Threshold.Pages.Police;

/// <summary>What the police pages add to the web application: who may open them, and the navigation for police roles.</summary>
public static class PolicePages
{
    /// <summary>The folder's policy: a user of a police force holding a police role (contact handler, investigator, supervisor).</summary>
    public const string Policy = "police";

    public static void AddPolicies(AuthorizationOptions o) =>
        o.AddPolicy(ThresholdWeb.RolePolicy(Policy), p => p
            .RequireClaim(ThresholdClaims.AgencyKind, AgencyKind.Police.ToSlug())
            .RequireRole(PoliceRoles.Read));

    public static void Pages(PageConventionCollection conventions) =>
        conventions.AuthorizeFolder("/Police", ThresholdWeb.RolePolicy(Policy));

    public static IEnumerable<(string Text, string Href)> Navigation(CurrentUser user)
    {
        if (user.AgencyKind != AgencyKind.Police.ToSlug() || !PoliceRoles.Any(user, PoliceRoles.Read))
        {
            yield break;
        }
        yield return ("Police cases", "/police");
        yield return ("New case", "/police/cases/new");
        yield return ("Intelligence", "/police/intelligence");
    }
}

/// <summary>What every police page shares: the signed-in officer, dates as people write them, and how a refused step comes back.</summary>
public abstract class PolicePage : PageModel
{
    public CurrentUser Me => CurrentUser.From(User)!;

    public bool Can(string[] roles) => PoliceRoles.Any(Me, roles);

    public static string When(DateTimeOffset t) => LondonTime.ToLocal(t).ToString("d MMM yyyy, HH:mm", CultureInfo.GetCultureInfo("en-GB"));

    public static string Day(DateOnly d) => d.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));

    public static string Day(DateOnly? d) => d is { } v ? Day(v) : "";

    /// <summary>A date typed as yyyy-mm-dd (a date input sends that too); empty gives <paramref name="empty"/>.</summary>
    public static DateOnly Date(string? text, string what, DateOnly? empty = null)
    {
        if (string.IsNullOrWhiteSpace(text) && empty is { } fallback)
        {
            return fallback;
        }
        return DateOnly.TryParseExact(text?.Trim() ?? "", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new DomainRuleException("DateMustBeADate", $"Give the {what} as a date, for example {DateTime.Today:yyyy-MM-dd}.");
    }

    public static DateOnly? OptionalDate(string? text, string what) => string.IsNullOrWhiteSpace(text) ? null : Date(text, what);

    public static PersonDetails? Person(string? given, string? family, string? dateOfBirth = null, string? email = null, string? phone = null,
        string? line1 = null, string? town = null, string? postcode = null)
    {
        static string? T(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        if (new[] { given, family, dateOfBirth, email, phone, line1, town, postcode }.All(string.IsNullOrWhiteSpace))
        {
            return null;
        }
        var address = new[] { line1, town, postcode }.All(string.IsNullOrWhiteSpace) ? null : new PostalAddress(T(line1), T(town), T(postcode));
        return new PersonDetails(T(given), T(family), T(dateOfBirth), T(email), T(phone), address);
    }

    /// <summary>
    /// Runs one change. Done: the redirect. A refused rule (the API's 422) or a stale version (409) comes back
    /// as the page with a plain message in the error summary; <paramref name="reload"/> shows the page again.
    /// </summary>
    protected async Task<IActionResult> RecordAsync(Func<Task<string?>> write, Func<Task<IActionResult>> reload, string what = "case")
    {
        try
        {
            var location = await write();
            return location is null ? NotFound() : Redirect(location);
        }
        catch (DomainRuleException e)
        {
            ModelState.AddModelError("", e.Message);
            Refused = e.Rule;
            return await reload();
        }
        catch (ConcurrencyConflictException)
        {
            ModelState.AddModelError("", $"Someone else changed this {what} while you were working on it. Check what they recorded and try again.");
            Refused = "StaleVersion";
            return await reload();
        }
    }

    /// <summary>The rule that refused the last step on this request, if one did (shown to tests and screen readers as data, not as a message).</summary>
    public string? Refused { get; private set; }
}
