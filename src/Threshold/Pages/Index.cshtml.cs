using Microsoft.AspNetCore.Mvc.RazorPages;
using Threshold.Access;
using Threshold.Domain.Agencies;
using Threshold.Storage.Administration;

namespace Threshold.Pages;

/// <summary>
/// The home page of the signed-in user's role: what that role does in Threshold, the agency's
/// information-sharing agreements, and the role's own panels (administrators see their agency's
/// users, auditors the latest audit entries).
/// </summary>
public sealed class IndexModel(AdministrationQueries queries) : PageModel
{
    public CurrentUser Me { get; private set; } = null!;

    public IReadOnlyList<Role> MyRoles { get; private set; } = [];

    public IReadOnlyList<AgreementRow> Agreements { get; private set; } = [];

    public IReadOnlyList<AgencyRow> Agencies { get; private set; } = [];

    public IReadOnlyList<UserRow> Users { get; private set; } = [];

    public IReadOnlyList<AuditRow> RecentAudit { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Me = CurrentUser.From(User)!;
        MyRoles = [.. Me.Roles.Select(r => Role.TryParse(r, out var role) ? role : null).OfType<Role>()];
        Agreements = await queries.AgreementsForAsync(Me.AgencyId, ct);
        Agencies = await queries.ListAgenciesAsync(ct);
        if (Me.IsIn(Role.Administrator.Slug))
        {
            Users = await queries.ListUsersAsync(Me.AgencyId, ct);
        }
        if (Me.IsIn(Role.Auditor.Slug))
        {
            RecentAudit = await queries.AuditLogAsync(Me.AgencyId, null, null, 10, ct);
        }
    }

    public string AgencyName(string id) => Agencies.FirstOrDefault(a => a.AgencyId == id)?.Name ?? id;

    /// <summary>What each role is for, in the words of the people who hold it.</summary>
    public static string Purpose(Role role) => role.Slug switch
    {
        "contact-handler" => "You take reports from the public and from partner agencies and create crime reports for investigation.",
        "investigator" => "You investigate harassment reports: incidents, the suspect's account, the victim's views, and the proposed disposal.",
        "supervisor" => "You authorise disposals proposed by investigating officers — never your own — and watch victim updates.",
        "triage-worker" => "You triage safeguarding referrals at the front door: each decision is due within one working day.",
        "social-worker" => "You carry out assessments and section 47 enquiries and record their outcomes.",
        "manager" => "You chair strategy discussions and panels, confirm findings on allegations, and annotate or restrict records.",
        "records-officer" => "You keep records for their retention period, read restricted content, and answer subject access requests.",
        "caseworker" => "You log abusive contact to your office, group it by correspondent, and report it to police with an evidence pack.",
        "auditor" => "You review who read which record, when and why, and check the ledger is intact.",
        "administrator" => "You add users to your agency and issue API tokens. Every change is on the record.",
        _ => "",
    };
}
