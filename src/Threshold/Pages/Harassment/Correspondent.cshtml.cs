using Microsoft.AspNetCore.Mvc;
using Threshold.Access;
using Threshold.Domain;
using Threshold.Harassment.Correspondents;
using Threshold.Harassment.Evidence;
using Threshold.Harassment.Reports;
using Threshold.Storage.Administration;
using Threshold.Storage.Harassment;

namespace Threshold.Pages.Harassment;

/// <summary>
/// One correspondent: the timeline of their contacts (MOJ timeline), why each was grouped here,
/// and the caseworker's decisions — merge with another correspondent, split contacts off, undo
/// either, record that the office asked them to stop.
/// </summary>
public sealed class CorrespondentModel(
    HarassmentQueries queries, CaseworkerDecisions decisions, EvidencePackBuilder packs, PoliceReports reports, AdministrationQueries administration, ReadGateway gateway, TimeProvider clock)
    : HarassmentPage
{
    public CorrespondentRow Correspondent { get; private set; } = null!;

    public IReadOnlyList<ContactRow> Contacts { get; private set; } = [];

    public IReadOnlyList<CorrespondentRow> Others { get; private set; } = [];

    public IReadOnlyList<RegroupingRow> Regroupings { get; private set; } = [];

    public IReadOnlyList<ReportRow> Reports { get; private set; } = [];

    public IReadOnlyList<(DateOnly Week, int Count)> Weeks { get; private set; } = [];

    /// <summary>Police forces the office may report to: those it has an information-sharing agreement with.</summary>
    public IReadOnlyList<AgencyRow> Forces { get; private set; } = [];

    public string? Error { get; private set; }

    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, string? done, CancellationToken ct)
    {
        Done = done;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostMergeAsync(string id, string? otherId, string? reason, CancellationToken ct) =>
        DecideAsync(id, "Merged", ct, () => decisions.MergeAsync(Office, id, otherId ?? "", reason, Me.Actor, ct));

    public Task<IActionResult> OnPostSplitAsync(string id, List<string>? contactIds, string? displayName, string? reason, CancellationToken ct) =>
        DecideAsync(id, "Split off", ct, async () =>
        {
            var (_, newId) = await decisions.SplitAsync(Office, id, contactIds ?? [], displayName, reason, Me.Actor, ct);
            return newId;
        });

    public Task<IActionResult> OnPostUndoAsync(string id, string regroupingId, CancellationToken ct) =>
        DecideAsync(id, "Undone", ct, async () =>
        {
            await decisions.UndoAsync(Office, regroupingId, null, Me.Actor, ct);
            return "";
        });

    public Task<IActionResult> OnPostStopAsync(string id, DateOnly? askedOn, string? how, CancellationToken ct) =>
        DecideAsync(id, "Recorded", ct, async () =>
        {
            var on = askedOn is { } d ? new DateTimeOffset(d.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero) : clock.GetUtcNow();
            await decisions.AskedToStopAsync(Office, id, on, how, Me.Actor, ct);
            return "";
        });

    public Task<IActionResult> OnPostReportAsync(string id, string? police, DateOnly? from, DateOnly? to, string? summary, CancellationToken ct) =>
        DecideAsync(id, "Reported to police", ct, async () =>
        {
            var (reportId, _) = await reports.SendAsync(Office, Me.AgencyName, id, police ?? "", from, to, summary, Me.Actor, ct);
            return reportId;
        });

    /// <summary>Makes the evidence pack and hands it over as a download: the PDF, or the ZIP of the original messages.</summary>
    public async Task<IActionResult> OnPostPackAsync(string id, DateOnly? from, DateOnly? to, string? format, CancellationToken ct)
    {
        try
        {
            var pack = await packs.BuildAsync(Office, Me.AgencyName, id, from, to, Me.Actor, ct);
            await gateway.AuditListAsync(Me, $"evidence pack {pack.PackId} for correspondent {id}", ReadChannel.Export, pack.ContactCount, ct);
            return format == "zip"
                ? File(pack.Zip, "application/zip", $"{pack.FileStem}.zip")
                : File(pack.Pdf, "application/pdf", $"{pack.FileStem}.pdf");
        }
        catch (DomainRuleException e)
        {
            Error = e.Message;
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
    }

    private async Task<IActionResult> DecideAsync(string id, string what, CancellationToken ct, Func<Task<string>> decide)
    {
        try
        {
            await decide();
            return Redirect($"/harassment/correspondents/{Uri.EscapeDataString(id)}?done={Uri.EscapeDataString(what)}");
        }
        catch (DomainRuleException e)
        {
            Error = e.Message;
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
    }

    private async Task<bool> LoadAsync(string id, CancellationToken ct)
    {
        var row = await queries.FindCorrespondentAsync(Office, id, ct);
        if (row is null)
        {
            return false;
        }
        Correspondent = row;
        Contacts = await queries.ContactsAsync(Office, new ContactFilter(CorrespondentId: id, Limit: 5000), ct);
        Weeks = PerWeek(Contacts);
        Others = [.. (await queries.CorrespondentsAsync(Office, ct)).Where(c => c.CorrespondentId != id)];
        Regroupings = await queries.RegroupingsAsync(Office, id, ct);
        Reports = [.. (await queries.ReportsAsync(Office, ct: ct)).Where(r => r.CorrespondentId == id)];
        var partners = await administration.PartnersOfAsync(Office, ct);
        Forces = [.. (await administration.ListAgenciesAsync(ct)).Where(a => a.Kind == "police" && partners.Contains(a.AgencyId))];
        await gateway.AuditListAsync(Me, $"harassment correspondent {id}", ReadChannel.Page, Contacts.Count, ct);
        return true;
    }
}
