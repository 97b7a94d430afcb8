using System.Security.Cryptography;
using Threshold.Domain;
using Threshold.Domain.Access;
using Threshold.Domain.Agencies;
using Threshold.Domain.Harassment;
using Threshold.Harassment.Evidence;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Storage.Events;
using Threshold.Storage.Harassment;
using Threshold.Storage.Ledger;

namespace Threshold.Harassment.Reports;

/// <summary>
/// Report to police (issue 4, step 6). The report is a record the office owns —
/// <c>crime-report:{id}</c> in the office's chain, holding what was sent, the pack's hashes and the
/// agreement it was sent under — shared with the police agency by <see cref="RecordShared"/> in the
/// same append. The office keeps the proof of what it handed over; the police read it through the
/// read gateway as a shared record, like any other. The police's progress is theirs to record: it
/// goes in their own chain, on <c>crime-report-status:{id}</c>, shared back with the office, so each
/// agency only ever writes its own chain and the office sees the status.
/// </summary>
public sealed class PoliceReports(ThresholdStore store, AdministrationQueries administration, HarassmentQueries queries, EvidencePackBuilder packs)
{
    public static string StreamOf(string reportId) => $"crime-report:{reportId}";

    public static string StatusStreamOf(string reportId) => $"crime-report-status:{reportId}";

    /// <summary>Sends a correspondent's evidence pack to a police agency the office has an information-sharing agreement with.</summary>
    public async Task<(string ReportId, EvidencePack Pack)> SendAsync(
        string office, string officeName, string correspondentId, string policeAgencyId, DateOnly? from, DateOnly? to, string? summary, string actor, CancellationToken ct = default)
    {
        var police = await administration.FindAgencyAsync(policeAgencyId, ct);
        if (police is null || police.Kind != AgencyKind.Police.ToSlug())
        {
            throw new DomainRuleException("ReportGoesToAPoliceForce", $"'{policeAgencyId}' is not a police force in Threshold.");
        }
        var agreement = await administration.AgreementBetweenAsync(office, policeAgencyId, ct)
            ?? throw new DomainRuleException("ReportNeedsAnAgreement",
                $"{officeName} has no information-sharing agreement with {police.Name}: record one (threshold agreements add) before sending them evidence.");
        var pack = await packs.BuildAsync(office, officeName, correspondentId, from, to, actor, ct);
        var reportId = $"rep-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        var stream = StreamOf(reportId);
        var text = string.IsNullOrWhiteSpace(summary)
            ? $"{pack.ContactCount} contacts from {pack.CorrespondentName} to {officeName}, reported as possible harassment."
            : summary.Trim();
        await store.Ledger.AppendAsync(office, stream, ExpectedVersion.NoStream,
        [
            EventSerializer.ToNew(new CrimeReportSent(reportId, office, policeAgencyId, correspondentId, pack.CorrespondentName, from, to, pack.ContactCount,
                text, pack.PdfSha256, pack.ZipSha256, pack.ManifestSha256, agreement.AgreementId)),
            EventSerializer.ToNew(new RecordShared(stream, office, policeAgencyId, $"report to police under information-sharing agreement {agreement.AgreementId}")),
        ], actor, ct);
        return (reportId, pack);
    }

    /// <summary>The police record their progress on a report they received; the office sees it.</summary>
    public async Task ChangeStatusAsync(string policeAgencyId, string reportId, string status, string? note, string actor, CancellationToken ct = default)
    {
        var report = await queries.FindReportAsync(reportId, ct);
        if (report is null || report.PoliceAgencyId != policeAgencyId)
        {
            throw new DomainRuleException("ReportMustBeYours", $"There is no report '{reportId}' sent to your force.");
        }
        if (!CrimeReportStatus.All.Contains(status) || status == CrimeReportStatus.Sent)
        {
            throw new DomainRuleException("ReportStatusMustBeKnown", $"Status must be one of: {string.Join(", ", CrimeReportStatus.All.Where(s => s != CrimeReportStatus.Sent))}.");
        }
        var stream = StatusStreamOf(reportId);
        var (version, _) = await store.Ledger.GetStreamAsync(stream, ct);
        var change = EventSerializer.ToNew(new CrimeReportStatusChanged(reportId, status, string.IsNullOrWhiteSpace(note) ? null : note.Trim()));
        IReadOnlyList<NewEvent> events = version == 0
            ? [change, EventSerializer.ToNew(new RecordShared(stream, policeAgencyId, report.OfficeId, "status of the office's report, shared back with it"))]
            : [change];
        await store.Ledger.AppendAsync(policeAgencyId, stream, version, events, actor, ct);
    }
}
