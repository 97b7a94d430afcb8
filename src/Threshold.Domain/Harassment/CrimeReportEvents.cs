// Events document only their less obvious fields.
#pragma warning disable CS1573

namespace Threshold.Domain.Harassment;

// Report to police (issue 4, step 6). The report is a stream owned by the office that made it and
// shared with the police agency through RecordShared: the office keeps the record of what it sent
// and sees its status; the police read it as a shared record and move its status on.

/// <summary>The office sent a correspondent's evidence pack to a police agency.</summary>
/// <param name="PackSha256">SHA-256 of the PDF evidence pack (in the blob store).</param>
/// <param name="ZipSha256">SHA-256 of the ZIP with the original messages (in the blob store).</param>
/// <param name="ManifestSha256">SHA-256 of the pack's manifest: the hash that vouches for every item in it.</param>
public sealed record CrimeReportSent(
    string ReportId,
    string OfficeId,
    string PoliceAgencyId,
    string CorrespondentId,
    string CorrespondentName,
    DateOnly? From,
    DateOnly? To,
    int ContactCount,
    string Summary,
    string PackSha256,
    string ZipSha256,
    string ManifestSha256,
    string AgreementId) : IEvent;

/// <summary>The police moved the report on: received, under investigation, closed (with a note the office may see).</summary>
public sealed record CrimeReportStatusChanged(string ReportId, string Status, string? Note) : IEvent;

/// <summary>An evidence pack was made; its manifest's hash goes on the record so the pack can be checked later.</summary>
public sealed record EvidencePackGenerated(
    string PackId,
    string OfficeId,
    string CorrespondentId,
    DateOnly? From,
    DateOnly? To,
    int ContactCount,
    string ManifestSha256,
    string PdfSha256,
    string ZipSha256) : IEvent;

public static class CrimeReportStatus
{
    public const string Sent = "sent";
    public const string Received = "received";
    public const string UnderInvestigation = "under-investigation";
    public const string Closed = "closed";

    public static IReadOnlyList<string> All { get; } = [Sent, Received, UnderInvestigation, Closed];
}
