using Dapper;

namespace Threshold.Storage.Policing;

/// <summary>One case in a work list.</summary>
public sealed class PoliceCaseRow
{
    public string CaseId { get; set; } = "";
    public string AgencyId { get; set; } = "";
    public string Reference { get; set; } = "";
    public string Status { get; set; } = "";
    public string OfficerEmail { get; set; } = "";
    public string OfficerName { get; set; } = "";
    public string VictimName { get; set; } = "";
    public string SuspectNames { get; set; } = "";
    public string? OffenceCode { get; set; }
    public long DomesticAbuse { get; set; }
    public string? ReportId { get; set; }
    public long IncidentCount { get; set; }
    public string? ProposalId { get; set; }
    public string? ProposedDisposal { get; set; }
    public string? ProposedBy { get; set; }
    public string? ProposedAt { get; set; }
    public string? VictimUpdateDue { get; set; }
    public string OpenedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
}

/// <summary>A further-contact or breach alert for the officer in the case.</summary>
public sealed class PoliceAlertRow
{
    public string AlertId { get; set; } = "";
    public string CaseId { get; set; } = "";
    public string InstructionId { get; set; } = "";
    public string OfficerEmail { get; set; } = "";
    public string SourceAgencyId { get; set; } = "";
    public string ContactId { get; set; } = "";
    public string? ReferralId { get; set; }
    public string ReceivedAt { get; set; } = "";
    public long Breach { get; set; }
    public string Explanation { get; set; } = "";
    public string RaisedAt { get; set; } = "";
}

/// <summary>A no-contact instruction or order, with its subject and protected persons as JSON.</summary>
public sealed class PoliceInstructionRow
{
    public string InstructionId { get; set; } = "";
    public string AgencyId { get; set; } = "";
    public string CaseId { get; set; } = "";
    public string OfficerEmail { get; set; } = "";
    public string OfficerName { get; set; } = "";
    public string IssuedOn { get; set; } = "";
    public string? EndsOn { get; set; }
    public string? StatutoryOrder { get; set; }
    public string Suspect { get; set; } = "{}";
    public string ProtectedPersons { get; set; } = "[]";
}

/// <summary>An intelligence entry's searchable fields.</summary>
public sealed class IntelligenceRow
{
    public string EntryId { get; set; } = "";
    public string AgencyId { get; set; } = "";
    public string StreamId { get; set; } = "";
    public string? CaseId { get; set; }
    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public string? DateOfBirth { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? PostcodeKey { get; set; }
    public string Summary { get; set; } = "";
    public string Grading { get; set; } = "";
    public string? HandlingRestrictions { get; set; }
    public string RecordedBy { get; set; } = "";
    public string RecordedAt { get; set; } = "";
}

/// <summary>
/// Questions police work lists ask of the police read model. Every caller reads through the read
/// gateway (lists are audited with AuditListAsync, one case with AllowAsync).
/// </summary>
public sealed class PoliceQueries(ThresholdStore store)
{
    private const string CaseColumns =
        """
        case_id AS CaseId, agency_id AS AgencyId, reference AS Reference, status AS Status, officer_email AS OfficerEmail, officer_name AS OfficerName,
        victim_name AS VictimName, suspect_names AS SuspectNames, offence_code AS OffenceCode, domestic_abuse AS DomesticAbuse, report_id AS ReportId,
        incident_count AS IncidentCount, proposal_id AS ProposalId, proposed_disposal AS ProposedDisposal, proposed_by AS ProposedBy,
        proposed_at AS ProposedAt, victim_update_due AS VictimUpdateDue, opened_at AS OpenedAt, updated_at AS UpdatedAt
        """;

    private const string InstructionColumns =
        """
        instruction_id AS InstructionId, agency_id AS AgencyId, case_id AS CaseId, officer_email AS OfficerEmail, officer_name AS OfficerName,
        issued_on AS IssuedOn, ends_on AS EndsOn, statutory_order AS StatutoryOrder, suspect AS Suspect, protected_persons AS ProtectedPersons
        """;

    private const string IntelligenceColumns =
        """
        entry_id AS EntryId, agency_id AS AgencyId, stream_id AS StreamId, case_id AS CaseId, given_name AS GivenName, family_name AS FamilyName,
        date_of_birth AS DateOfBirth, email AS Email, phone AS Phone, postcode_key AS PostcodeKey, summary AS Summary, grading AS Grading,
        handling_restrictions AS HandlingRestrictions, recorded_by AS RecordedBy, recorded_at AS RecordedAt
        """;

    /// <summary>Open cases where the officer is the officer in the case, most recently changed first.</summary>
    public Task<IReadOnlyList<PoliceCaseRow>> MyCasesAsync(string agencyId, string officerEmail, int limit = 100, CancellationToken ct = default) =>
        CasesAsync("agency_id = @agency AND officer_email = @officer AND status <> 'Closed' ORDER BY updated_at DESC, case_id",
            new { agency = agencyId, officer = officerEmail, limit }, ct);

    /// <summary>Reports no investigator has taken on yet (entered by a contact handler), oldest first.</summary>
    public Task<IReadOnlyList<PoliceCaseRow>> NewReportsAsync(string agencyId, int limit = 100, CancellationToken ct = default) =>
        CasesAsync("agency_id = @agency AND status = 'Reported' ORDER BY opened_at, case_id", new { agency = agencyId, limit }, ct);

    /// <summary>Proposed disposals awaiting a supervisor, oldest first.</summary>
    public Task<IReadOnlyList<PoliceCaseRow>> AwaitingAuthorisationAsync(string agencyId, int limit = 100, CancellationToken ct = default) =>
        CasesAsync("agency_id = @agency AND status = 'DisposalProposed' ORDER BY proposed_at, case_id", new { agency = agencyId, limit }, ct);

    /// <summary>Cases whose victim update was due before <paramref name="today"/>, most overdue first.</summary>
    public Task<IReadOnlyList<PoliceCaseRow>> OverdueVictimUpdatesAsync(string agencyId, DateOnly today, int limit = 100, CancellationToken ct = default) =>
        CasesAsync("agency_id = @agency AND victim_update_due IS NOT NULL AND victim_update_due < @today ORDER BY victim_update_due, case_id",
            new { agency = agencyId, today = PoliceProjection.Day(today), limit }, ct);

    public async Task<PoliceCaseRow?> FindCaseAsync(string caseId, CancellationToken ct = default) =>
        (await CasesAsync("case_id = @id", new { id = caseId, limit = 1 }, ct)).FirstOrDefault();

    private async Task<IReadOnlyList<PoliceCaseRow>> CasesAsync(string where, object args, CancellationToken ct)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<PoliceCaseRow>(new CommandDefinition($"SELECT {CaseColumns} FROM police_cases WHERE {where} LIMIT @limit", args, cancellationToken: ct))];
    }

    /// <summary>Further-contact and breach alerts of the agency (or of one officer), newest first.</summary>
    public async Task<IReadOnlyList<PoliceAlertRow>> AlertsAsync(string agencyId, string? officerEmail = null, bool breachesOnly = false, int limit = 100, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<PoliceAlertRow>(new CommandDefinition(
            $"""
            SELECT alert_id AS AlertId, case_id AS CaseId, instruction_id AS InstructionId, officer_email AS OfficerEmail, source_agency_id AS SourceAgencyId,
                   contact_id AS ContactId, referral_id AS ReferralId, received_at AS ReceivedAt, breach AS Breach, explanation AS Explanation, raised_at AS RaisedAt
            FROM police_alerts WHERE agency_id = @agency {(officerEmail is null ? "" : "AND officer_email = @officer")} {(breachesOnly ? "AND breach = 1" : "")}
            ORDER BY raised_at DESC, alert_id LIMIT @limit
            """, new { agency = agencyId, officer = officerEmail, limit }, cancellationToken: ct))];
    }

    public async Task<IReadOnlyList<PoliceAlertRow>> AlertsForCaseAsync(string caseId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<PoliceAlertRow>(new CommandDefinition(
            """
            SELECT alert_id AS AlertId, case_id AS CaseId, instruction_id AS InstructionId, officer_email AS OfficerEmail, source_agency_id AS SourceAgencyId,
                   contact_id AS ContactId, referral_id AS ReferralId, received_at AS ReceivedAt, breach AS Breach, explanation AS Explanation, raised_at AS RaisedAt
            FROM police_alerts WHERE case_id = @id ORDER BY raised_at DESC, alert_id
            """, new { id = caseId }, cancellationToken: ct))];
    }

    /// <summary>
    /// Instructions and orders in force on <paramref name="today"/> whose subject shares a family name,
    /// an e-mail address or a phone number with the person (blocking; the caller decides "same person").
    /// </summary>
    public async Task<IReadOnlyList<PoliceInstructionRow>> InstructionsAgainstAsync(string? familyName, string? email, string? phone, DateOnly today, CancellationToken ct = default)
    {
        var family = PoliceProjection.FamilyKey(familyName);
        var mail = PoliceProjection.EmailKey(email);
        var tel = PoliceProjection.PhoneKey(phone);
        if (family is null && mail is null && tel is null)
        {
            return [];
        }
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<PoliceInstructionRow>(new CommandDefinition(
            $"""
            SELECT {InstructionColumns} FROM police_instructions
            WHERE (suspect_family_key = @family OR suspect_email = @mail OR suspect_phone = @tel)
              AND issued_on <= @today AND (ends_on IS NULL OR ends_on >= @today)
            """, new { family, mail, tel, today = PoliceProjection.Day(today) }, cancellationToken: ct))];
    }

    public async Task<PoliceInstructionRow?> FindInstructionAsync(string instructionId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<PoliceInstructionRow>(new CommandDefinition(
            $"SELECT {InstructionColumns} FROM police_instructions WHERE instruction_id = @id", new { id = instructionId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<PoliceInstructionRow>> InstructionsForCaseAsync(string caseId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<PoliceInstructionRow>(new CommandDefinition(
            $"SELECT {InstructionColumns} FROM police_instructions WHERE case_id = @id ORDER BY issued_on", new { id = caseId }, cancellationToken: ct))];
    }

    /// <summary>Blocking for the intelligence search: entries sharing a family name, date of birth, e-mail, phone or postcode. The caller scores them.</summary>
    public async Task<IReadOnlyList<IntelligenceRow>> IntelligenceCandidatesAsync(string agencyId, string? familyName, string? dateOfBirth, string? email, string? phone, string? postcode,
        int perKey = 500, CancellationToken ct = default)
    {
        var found = new Dictionary<string, IntelligenceRow>(StringComparer.Ordinal);
        await using var c = await store.OpenConnectionAsync(ct);
        foreach (var (column, value) in new[]
                 {
                     ("family_key", PoliceProjection.FamilyKey(familyName)),
                     ("date_of_birth", string.IsNullOrWhiteSpace(dateOfBirth) ? null : dateOfBirth.Trim()),
                     ("email", PoliceProjection.EmailKey(email)),
                     ("phone", PoliceProjection.PhoneKey(phone)),
                     ("postcode_key", PoliceProjection.PostcodeKey(postcode)),
                 }.Where(k => k.Item2 is not null))
        {
            var rows = await c.QueryAsync<IntelligenceRow>(new CommandDefinition(
                $"SELECT {IntelligenceColumns} FROM police_intelligence WHERE agency_id = @agency AND {column} = @value ORDER BY recorded_at DESC LIMIT @limit",
                new { agency = agencyId, value, limit = perKey }, cancellationToken: ct));
            foreach (var row in rows)
            {
                found.TryAdd(row.EntryId, row);
            }
        }
        return [.. found.Values];
    }
}
