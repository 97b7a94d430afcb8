using Microsoft.AspNetCore.Mvc;
using Threshold.Access;
using Threshold.Domain.Harassment;
using Threshold.Domain.Policing;
using Threshold.Harassment.Reports;
using Threshold.Policing;
using Threshold.Storage.Events;

namespace Threshold.Pages.Police;

/// <summary>
/// An office's report shared with the force (read through the gateway as a shared record), and the
/// form that opens a case from it: the pack's contacts become incidents, the report's correspondent
/// the suspect unless the officer names one; a member of the victim's household (her child) can be named, as on a new case.
/// </summary>
public sealed class ReportModel(ReadGateway gateway, PoliceCaseService cases) : PolicePage
{
    public CrimeReportSent Report { get; private set; } = null!;

    [BindProperty]
    public PersonFields Victim { get; set; } = new();

    [BindProperty]
    public PersonFields Suspect { get; set; } = new();

    [BindProperty]
    public PersonFields Household { get; set; } = new();

    [BindProperty]
    public string? Offence { get; set; } = "harassment";

    [BindProperty]
    public string? Summary { get; set; }

    public static OffenceCatalogue Offences => PoliceCaseService.Offences;

    public async Task<IActionResult> OnGetAsync(string reportId, CancellationToken ct) =>
        await LoadAsync(reportId, ct) ? Page() : NotFound();

    private async Task<bool> LoadAsync(string reportId, CancellationToken ct)
    {
        var events = await gateway.ReadStreamAsync(Me, PoliceReports.StreamOf(reportId), ReadChannel.Page, "office's report to police", ct);
        var sent = events?.Select(EventSerializer.Deserialize).OfType<CrimeReportSent>().FirstOrDefault();
        if (sent is null || sent.PoliceAgencyId != Me.AgencyId)
        {
            return false;
        }
        Report = sent;
        return true;
    }

    public Task<IActionResult> OnPostAsync(string reportId, CancellationToken ct) =>
        RecordAsync(async () =>
        {
            var suspect = Suspect.ToDetails();
            var household = Household.ToDetails();
            var opened = await cases.OpenFromReportAsync(Me, reportId, new CrimeReportSubmission(Victim.ToDetails(), suspect is null ? [] : [suspect],
                household is null ? [] : [household], Offence, Summary, false), ct);
            return opened is null ? null : $"/police/cases/{opened.Id}?done=opened";
        }, async () => await LoadAsync(reportId, ct) ? Page() : NotFound(), "report");
}
