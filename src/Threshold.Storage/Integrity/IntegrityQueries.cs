using System.Text.Json;
using Dapper;
using Threshold.Domain.Safeguarding;
using Threshold.Storage.Events;

namespace Threshold.Storage.Integrity;

/// <summary>A person in a record, as the integrity projection keeps them (person is the stable API's person shape, as JSON).</summary>
public sealed class IntegrityPersonRow
{
    public long Seq { get; set; }
    public string AgencyId { get; set; } = "";
    public string Role { get; set; } = "";
    public string RecordId { get; set; } = "";
    public string Person { get; set; } = "{}";

    /// <summary>The person, as the record gave them.</summary>
    public PersonDetails Details() => JsonSerializer.Deserialize<PersonDetails>(Person, EventSerializer.Options)!;
}

/// <summary>A message in an office's harassment log, for the wording comparison.</summary>
public sealed class LoggedMessageRow
{
    public string ContactId { get; set; } = "";
    public string OfficeId { get; set; } = "";
    public string ReceivedAt { get; set; } = "";
    public string? Subject { get; set; }
    public string Body { get; set; } = "";
}

/// <summary>What a council was shown about one of this agency's records, and when.</summary>
public sealed class DisclosureRow
{
    public string DisclosureId { get; set; } = "";
    public string RecordKind { get; set; } = "";
    public string CouncilName { get; set; } = "";
    public string ReferralReference { get; set; } = "";
    public string SignalKind { get; set; } = "";
    public string Disclosed { get; set; } = "";
    public string AgreementId { get; set; } = "";
    public string DisclosedAt { get; set; } = "";
}

/// <summary>What the referral integrity check asks of the read models; the caller decides who may see what (agreements).</summary>
public sealed class IntegrityQueries(ThresholdStore store)
{
    private const string PersonColumns = "seq AS Seq, agency_id AS AgencyId, role AS Role, record_id AS RecordId, person AS Person";

    /// <summary>Rows after <paramref name="afterSeq"/>, in ledger order: how the in-memory index catches up.</summary>
    public async Task<IReadOnlyList<IntegrityPersonRow>> PersonsAfterAsync(long afterSeq, int limit, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<IntegrityPersonRow>(new CommandDefinition(
            $"SELECT {PersonColumns} FROM integrity_persons WHERE seq > @after ORDER BY seq LIMIT @limit", new { after = afterSeq, limit }, cancellationToken: ct))];
    }

    /// <summary>Everyone recorded in one record (a case's victim, suspects and household).</summary>
    public async Task<IReadOnlyList<IntegrityPersonRow>> PersonsOfRecordAsync(string recordId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<IntegrityPersonRow>(new CommandDefinition(
            $"SELECT {PersonColumns} FROM integrity_persons WHERE record_id = @id ORDER BY seq", new { id = recordId }, cancellationToken: ct))];
    }

    /// <summary>
    /// The messages an office logged from the correspondent it reported in <paramref name="reportId"/>
    /// (the report a police case was opened from), newest first.
    /// </summary>
    public async Task<IReadOnlyList<LoggedMessageRow>> ReportedMessagesAsync(string reportId, int limit, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<LoggedMessageRow>(new CommandDefinition(
            """
            SELECT m.contact_id AS ContactId, m.office_id AS OfficeId, m.received_at AS ReceivedAt, m.subject AS Subject, m.body AS Body
            FROM harassment_reports r JOIN harassment_contacts m ON m.correspondent_id = r.correspondent_id AND m.office_id = r.office_id
            WHERE r.report_id = @report
            ORDER BY m.received_at DESC LIMIT @limit
            """, new { report = reportId, limit }, cancellationToken: ct))];
    }

    /// <summary>Disclosures about one police case (its own record and its instructions), newest first.</summary>
    public async Task<IReadOnlyList<DisclosureRow>> DisclosuresForCaseAsync(string caseId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<DisclosureRow>(new CommandDefinition(
            """
            SELECT disclosure_id AS DisclosureId, record_kind AS RecordKind, council_name AS CouncilName, referral_reference AS ReferralReference, signal_kind AS SignalKind,
                   disclosed AS Disclosed, agreement_id AS AgreementId, disclosed_at AS DisclosedAt
            FROM integrity_disclosures WHERE case_id = @id ORDER BY disclosed_at DESC, disclosure_id
            """, new { id = caseId }, cancellationToken: ct))];
    }
}
