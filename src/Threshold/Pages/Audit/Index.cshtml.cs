using Microsoft.AspNetCore.Mvc.RazorPages;
using Threshold.Access;
using Threshold.Storage.Administration;

namespace Threshold.Pages.Audit;

/// <summary>The agency's audit trail for auditors: every read, refusal, sign-in and administrative change, newest first.</summary>
public sealed class IndexModel(AdministrationQueries queries) : PageModel
{
    public const int PageSize = 50;

    public static readonly IReadOnlyList<(string Value, string Text)> Categories =
        [("", "Everything"), ("read", "Reads of case content"), ("refused", "Refused access"), ("sign-in", "Sign-ins"), ("administration", "Administration"), ("sharing", "Sharing"), ("record", "Record changes")];

    public IReadOnlyList<AuditRow> Rows { get; private set; } = [];

    public string? Category { get; private set; }

    public long? NextBefore { get; private set; }

    public async Task OnGetAsync(string? category, long? before, CancellationToken ct)
    {
        var me = CurrentUser.From(User)!;
        Category = Categories.Any(c => c.Value == category && c.Value != "") ? category : null;
        Rows = await queries.AuditLogAsync(me.AgencyId, Category, before, PageSize, ct);
        NextBefore = Rows.Count == PageSize ? Rows[^1].Position : null;
    }
}
