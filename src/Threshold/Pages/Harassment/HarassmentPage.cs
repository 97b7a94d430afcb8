using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Threshold.Access;
using Threshold.Domain.Harassment;
using Threshold.Storage.Harassment;

namespace Threshold.Pages.Harassment;

/// <summary>What every page of the harassment log shares: the caseworker and how times, labels and weeks are shown.</summary>
public abstract class HarassmentPage : PageModel
{
    public CurrentUser Me => CurrentUser.From(User)!;

    public string Office => Me.AgencyId;

    public static string When(string iso) =>
        DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).ToUniversalTime().ToString("d MMM yyyy, HH:mm", CultureInfo.GetCultureInfo("en-GB"));

    public static string Day(string iso) =>
        DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).ToUniversalTime().ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));

    public static string LabelTitle(string slug) => TriageLabels.Title(slug);

    /// <summary>Tag colour by label: threats and sexual content stand out.</summary>
    public static string TagClass(string slug) => slug switch
    {
        TriageLabels.Threatening => "govuk-tag govuk-tag--red",
        TriageLabels.Sexual => "govuk-tag govuk-tag--pink",
        TriageLabels.MentionsFamily => "govuk-tag govuk-tag--orange",
        TriageLabels.Discriminatory => "govuk-tag govuk-tag--purple",
        TriageLabels.RepeatedAfterStop => "govuk-tag govuk-tag--yellow",
        _ => "govuk-tag govuk-tag--grey",
    };

    /// <summary>Contacts per week (weeks beginning Monday), every week in the span shown, the last 26 at most.</summary>
    public static IReadOnlyList<(DateOnly Week, int Count)> PerWeek(IEnumerable<ContactRow> contacts)
    {
        var weeks = contacts.Select(c => WeekOf(c.ReceivedAtTime)).GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());
        if (weeks.Count == 0)
        {
            return [];
        }
        var last = weeks.Keys.Max();
        var first = weeks.Keys.Min();
        if (last.DayNumber - first.DayNumber > 25 * 7)
        {
            first = last.AddDays(-25 * 7);
        }
        var result = new List<(DateOnly, int)>();
        for (var w = first; w <= last; w = w.AddDays(7))
        {
            result.Add((w, weeks.GetValueOrDefault(w)));
        }
        return result;
    }

    public static DateOnly WeekOf(DateTimeOffset t)
    {
        var day = DateOnly.FromDateTime(t.UtcDateTime);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }
}
