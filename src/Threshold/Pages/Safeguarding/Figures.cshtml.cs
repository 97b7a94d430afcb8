using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Threshold.Access;
using Threshold.Domain.Calendar;
using Threshold.Domain.Safeguarding;
using Threshold.Storage.Safeguarding;

namespace Threshold.Pages.Safeguarding;

/// <summary>
/// Front-door figures as server-rendered SVG charts, each with the same figures as a table:
/// referrals per week, the share decided within one working day, and decisions. Figures are counts,
/// not case content, but looking at them is still recorded.
/// </summary>
public sealed class FiguresModel(ReferralQueries queries, ReadGateway gateway, TimeProvider clock) : PageModel
{
    public const int Weeks = 12;

    public IReadOnlyList<WeekFigure> PerWeek { get; private set; } = [];

    public IReadOnlyList<OutcomeFigure> Outcomes { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var me = CurrentUser.From(User)!;
        var from = DateOnly.ParseExact(ReferralProjection.WeekOf(clock.GetUtcNow()), "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(-7 * (Weeks - 1));
        var fromText = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var rows = (await queries.WeeklyAsync(me.AgencyId, fromText, ct)).ToDictionary(w => w.Week);
        // Every week appears, including weeks with no referrals.
        PerWeek = [.. Enumerable.Range(0, Weeks).Select(i => from.AddDays(7 * i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            .Select(w => rows.TryGetValue(w, out var row) ? row : new WeekFigure { Week = w })];
        Outcomes = await queries.OutcomesAsync(me.AgencyId, fromText, ct);
        await gateway.AuditListAsync(me, "front door figures", ReadChannel.Page, PerWeek.Sum(w => (int)w.Referrals), ct);
    }

    public static string WeekLabel(string week) => DateOnly.ParseExact(week, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("d MMM", CultureInfo.GetCultureInfo("en-GB"));

    public static string Share(WeekFigure w) => w.Decided == 0 ? "–" : (w.DecidedInTime / (double)w.Decided).ToString("P0", CultureInfo.GetCultureInfo("en-GB"));

    public static string DecisionTitle(string code) => code == "awaiting-triage" ? "Awaiting triage" : Procedures.England.Title(code) is { Length: > 0 } t ? t : Procedures.Wales.Title(code);

    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Today => LondonTime.DateOf(DateTimeOffset.UtcNow).ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));
}
