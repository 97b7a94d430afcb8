using Threshold.Access;
using Threshold.Policing;
using Threshold.Storage.Harassment;

namespace Threshold.Pages.Police;

/// <summary>
/// The lists police work from: my cases, new reports (a contact handler's, not yet taken on), disposals
/// awaiting authorisation, overdue victim updates, further-contact and breach alerts, and the reports
/// offices sent to the force (each can become a case). Every list read is audited as a list.
/// </summary>
public sealed class IndexModel(PoliceWorkLists lists, HarassmentQueries harassment, ReadGateway gateway) : PolicePage
{
    public static readonly IReadOnlyList<(string Slug, string Title)> Lists =
    [
        ("my-cases", "My cases"),
        ("new-reports", "New reports"),
        ("awaiting-authorisation", "Awaiting authorisation"),
        ("overdue-victim-updates", "Overdue victim updates"),
        ("alerts", "Further contact"),
        ("breaches", "Possible breaches"),
        ("office-reports", "Reports from offices"),
    ];

    public string List { get; private set; } = "my-cases";

    public string Title => Lists.First(l => l.Slug == List).Title;

    public IReadOnlyList<PoliceWorkItem> Items { get; private set; } = [];

    public IReadOnlyList<AlertView> Alerts { get; private set; } = [];

    public IReadOnlyList<ReportRow> Reports { get; private set; } = [];

    public static string DefaultList(CurrentUser me) =>
        me.IsIn(Domain.Agencies.Role.Supervisor.Slug) ? "awaiting-authorisation"
        : me.IsIn(Domain.Agencies.Role.Investigator.Slug) ? "my-cases"
        : "new-reports";

    public async Task OnGetAsync(string? list, CancellationToken ct)
    {
        List = Lists.Any(l => l.Slug == list) ? list! : DefaultList(Me);
        switch (List)
        {
            case "alerts":
            case "breaches":
                Alerts = await lists.AlertsAsync(Me, mineOnly: false, breachesOnly: List == "breaches", ReadChannel.Page, 100, ct);
                break;
            case "office-reports":
                Reports = await harassment.ReportsAsync(Me.AgencyId, asPolice: true, ct);
                await gateway.AuditListAsync(Me, "crime reports received from offices", ReadChannel.Page, Reports.Count, ct);
                break;
            default:
                Items = await lists.ListAsync(Me, List, ReadChannel.Page, 100, ct) ?? [];
                break;
        }
    }

    public static string StatusTitle(string status) => status switch
    {
        "reported" => "Reported",
        "under-investigation" => "Under investigation",
        "disposal-proposed" => "Disposal proposed",
        "disposal-authorised" => "Disposal authorised",
        "closed" => "Closed",
        _ => status,
    };

    public static string StatusTag(string status) => status switch
    {
        "reported" => "govuk-tag govuk-tag--blue",
        "under-investigation" => "govuk-tag govuk-tag--light-blue",
        "disposal-proposed" => "govuk-tag govuk-tag--yellow",
        "disposal-authorised" => "govuk-tag govuk-tag--green",
        _ => "govuk-tag govuk-tag--grey",
    };
}
