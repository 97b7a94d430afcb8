using Microsoft.AspNetCore.Mvc.RazorPages;
using Threshold.Access;
using Threshold.Domain.Calendar;
using Threshold.Safeguarding;
using Threshold.Storage.Safeguarding;

namespace Threshold.Pages.Safeguarding;

/// <summary>
/// The front door's work lists: new, due today, overdue, awaiting panel, awaiting manager
/// confirmation. Immediate danger jumps every queue and raises a banner. The list read is audited.
/// </summary>
public sealed class IndexModel(FrontDoor frontDoor) : PageModel
{
    public static readonly IReadOnlyList<(WorkList List, string Slug, string Title)> Lists =
    [
        (WorkList.New, "new", "New"),
        (WorkList.DueToday, "due-today", "Due today"),
        (WorkList.Overdue, "overdue", "Overdue"),
        (WorkList.AwaitingPanel, "awaiting-panel", "Awaiting panel"),
        (WorkList.AwaitingManagerConfirmation, "awaiting-manager-confirmation", "Awaiting manager confirmation"),
    ];

    public WorkList List { get; private set; }

    public IReadOnlyList<WorkListItem> Items { get; private set; } = [];

    public IReadOnlyDictionary<WorkList, long> Counts { get; private set; } = new Dictionary<WorkList, long>();

    public int ImmediateDanger { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(string? list, CancellationToken ct)
    {
        var me = CurrentUser.From(User)!;
        List = ReferralsApi.TryParseList(list, out var which) ? which : WorkList.New;
        Now = frontDoor.Now;
        Counts = await frontDoor.CountsAsync(me, ct);
        var rows = await frontDoor.WorkListAsync(me, List, ReadChannel.Page, 50, ct);
        Items = [.. rows.Select(r => frontDoor.Item(r, me))];
        ImmediateDanger = List == WorkList.New ? Items.Count(i => i.ImmediateDanger) : 0;
    }

    public static string When(DateTimeOffset t) => LondonTime.ToLocal(t).ToString("ddd d MMM yyyy, HH:mm", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
}
