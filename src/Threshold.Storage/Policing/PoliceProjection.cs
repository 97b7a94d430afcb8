using System.Globalization;
using System.Text.Json;
using Threshold.Domain.Integrity;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;

namespace Threshold.Storage.Policing;

/// <summary>
/// The police read model: one row per case (status, officer in the case, proposal awaiting
/// authorisation, victim update due) for the work lists; further-contact and breach alerts; the
/// no-contact instructions and orders with their protected persons, for the referral hook; and
/// intelligence entries for the search by person. Written only from events; can be rebuilt.
/// </summary>
public sealed class PoliceProjection : IProjection
{
    public const string CasePrefix = "police-case:";

    public string Name => "policing";

    public int Version => 1;

    public IReadOnlyList<string> Schema { get; } =
    [
        """
        CREATE TABLE IF NOT EXISTS police_cases (
            case_id TEXT PRIMARY KEY,
            agency_id TEXT NOT NULL,
            reference TEXT NOT NULL,
            status TEXT NOT NULL,
            officer_email TEXT NOT NULL,
            officer_name TEXT NOT NULL,
            victim_name TEXT NOT NULL,
            suspect_names TEXT NOT NULL,
            offence_code TEXT NULL,
            domestic_abuse INTEGER NOT NULL,
            report_id TEXT NULL,
            incident_count INTEGER NOT NULL,
            proposal_id TEXT NULL,
            proposed_disposal TEXT NULL,
            proposed_by TEXT NULL,
            proposed_at TEXT NULL,
            victim_update_due TEXT NULL,
            opened_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS police_cases_officer ON police_cases (agency_id, officer_email, status, updated_at)",
        "CREATE INDEX IF NOT EXISTS police_cases_status ON police_cases (agency_id, status, proposed_at)",
        "CREATE INDEX IF NOT EXISTS police_cases_victim_due ON police_cases (agency_id, victim_update_due)",
        """
        CREATE TABLE IF NOT EXISTS police_alerts (
            alert_id TEXT PRIMARY KEY,
            agency_id TEXT NOT NULL,
            case_id TEXT NOT NULL,
            instruction_id TEXT NOT NULL,
            officer_email TEXT NOT NULL,
            source_agency_id TEXT NOT NULL,
            contact_id TEXT NOT NULL,
            referral_id TEXT NULL,
            received_at TEXT NOT NULL,
            breach INTEGER NOT NULL,
            explanation TEXT NOT NULL,
            raised_at TEXT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS police_alerts_agency ON police_alerts (agency_id, raised_at)",
        "CREATE INDEX IF NOT EXISTS police_alerts_case ON police_alerts (case_id)",
        """
        CREATE TABLE IF NOT EXISTS police_instructions (
            instruction_id TEXT PRIMARY KEY,
            agency_id TEXT NOT NULL,
            case_id TEXT NOT NULL,
            officer_email TEXT NOT NULL,
            officer_name TEXT NOT NULL,
            issued_on TEXT NOT NULL,
            ends_on TEXT NULL,
            statutory_order TEXT NULL,
            suspect_family_key TEXT NULL,
            suspect_email TEXT NULL,
            suspect_phone TEXT NULL,
            suspect TEXT NOT NULL,
            protected_persons TEXT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS police_instructions_family ON police_instructions (suspect_family_key)",
        "CREATE INDEX IF NOT EXISTS police_instructions_email ON police_instructions (suspect_email)",
        "CREATE INDEX IF NOT EXISTS police_instructions_phone ON police_instructions (suspect_phone)",
        "CREATE INDEX IF NOT EXISTS police_instructions_case ON police_instructions (case_id)",
        """
        CREATE TABLE IF NOT EXISTS police_intelligence (
            entry_id TEXT PRIMARY KEY,
            agency_id TEXT NOT NULL,
            stream_id TEXT NOT NULL,
            case_id TEXT NULL,
            given_name TEXT NULL,
            family_name TEXT NULL,
            family_key TEXT NULL,
            date_of_birth TEXT NULL,
            email TEXT NULL,
            phone TEXT NULL,
            postcode_key TEXT NULL,
            summary TEXT NOT NULL,
            grading TEXT NOT NULL,
            handling_restrictions TEXT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS police_intelligence_family ON police_intelligence (agency_id, family_key)",
        "CREATE INDEX IF NOT EXISTS police_intelligence_dob ON police_intelligence (agency_id, date_of_birth)",
        "CREATE INDEX IF NOT EXISTS police_intelligence_postcode ON police_intelligence (agency_id, postcode_key)",
        "CREATE INDEX IF NOT EXISTS police_intelligence_email ON police_intelligence (agency_id, email)",
    ];

    public IReadOnlyList<string> Tables { get; } = ["police_cases", "police_alerts", "police_instructions", "police_intelligence"];

    public static string Utc(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string? FamilyKey(string? family) => string.IsNullOrWhiteSpace(family) ? null : family.Trim().ToLowerInvariant();

    public static string? EmailKey(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();

    /// <summary>Digits only, with a UK leading 44 turned into 0, so "+44 7700 900999" and "07700 900999" meet.</summary>
    public static string? PhoneKey(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }
        var digits = new string([.. phone.Where(char.IsAsciiDigit)]);
        if (digits.StartsWith("44", StringComparison.Ordinal) && digits.Length > 10)
        {
            digits = "0" + digits[2..];
        }
        return digits.Length == 0 ? null : digits;
    }

    public static string? PostcodeKey(string? postcode) => string.IsNullOrWhiteSpace(postcode) ? null : postcode.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    private static bool Handles(string type) => type is nameof(PoliceCaseOpened) or nameof(InvestigationStarted) or nameof(IncidentRecorded)
        or nameof(OffenceDecisionRecorded) or nameof(DisposalProposed) or nameof(DisposalAuthorised) or nameof(DisposalRejected)
        or nameof(VictimInformed) or nameof(PoliceCaseClosed) or nameof(NoContactInstructionRecorded) or nameof(FurtherContactAlertRaised)
        or nameof(IntelligenceEntryRecorded) or nameof(MaliciousReferralNotified);

    public async Task ApplyAsync(StoredEvent e, ProjectionWriter writer, CancellationToken ct)
    {
        if (!Handles(e.Type))
        {
            return;
        }
        var caseId = e.StreamId.StartsWith(CasePrefix, StringComparison.Ordinal) ? e.StreamId[CasePrefix.Length..] : null;
        switch (EventSerializer.Deserialize(e))
        {
            case PoliceCaseOpened o:
                await writer.ExecuteAsync(
                    """
                    INSERT INTO police_cases (case_id, agency_id, reference, status, officer_email, officer_name, victim_name, suspect_names, offence_code,
                        domestic_abuse, report_id, incident_count, victim_update_due, opened_at, updated_at)
                    VALUES (@id, @agency, @reference, @status, @email, @name, @victim, @suspects, @offence, @da, @report, 0, @due, @at, @at)
                    ON CONFLICT (case_id) DO NOTHING
                    """, ct,
                    ("id", o.CaseId), ("agency", e.AgencyId), ("reference", o.Reference), ("status", nameof(PoliceCaseStatus.Reported)),
                    ("email", o.OfficerEmail), ("name", o.OfficerName), ("victim", o.Victim.DisplayName),
                    ("suspects", string.Join("; ", o.Suspects.Select(s => s.DisplayName))), ("offence", o.OffenceCode), ("da", o.DomesticAbuse ? 1 : 0),
                    ("report", o.Report?.ReportId), ("due", Day(o.VictimUpdateDue)), ("at", Utc(o.OpenedAt)));
                break;
            case InvestigationStarted s when caseId is not null:
                await Update(writer, e, caseId, ct, "status = @status, officer_email = @email, officer_name = @name",
                    ("status", nameof(PoliceCaseStatus.UnderInvestigation)), ("email", s.OfficerEmail), ("name", s.OfficerName));
                break;
            case IncidentRecorded when caseId is not null:
                await Update(writer, e, caseId, ct, "incident_count = incident_count + 1");
                break;
            case OffenceDecisionRecorded d when caseId is not null:
                await Update(writer, e, caseId, ct, "offence_code = @offence", ("offence", d.OffenceCode));
                break;
            case DisposalProposed p when caseId is not null:
                await Update(writer, e, caseId, ct, "status = @status, proposal_id = @proposal, proposed_disposal = @disposal, proposed_by = @by, proposed_at = @at",
                    ("status", nameof(PoliceCaseStatus.DisposalProposed)), ("proposal", p.ProposalId), ("disposal", p.Disposal), ("by", p.ProposedBy), ("at", Utc(p.ProposedAt)));
                break;
            case DisposalAuthorised a when caseId is not null:
                // The victim must be told within the decision clock: the earlier of that and any update already due.
                await Update(writer, e, caseId, ct,
                    "status = @status, victim_update_due = CASE WHEN victim_update_due IS NOT NULL AND victim_update_due < @due THEN victim_update_due ELSE @due END",
                    ("status", nameof(PoliceCaseStatus.DisposalAuthorised)), ("due", Day(a.VictimToBeInformedBy)));
                break;
            case DisposalRejected when caseId is not null:
                await Update(writer, e, caseId, ct, "status = @status, proposal_id = NULL, proposed_disposal = NULL, proposed_by = NULL, proposed_at = NULL",
                    ("status", nameof(PoliceCaseStatus.UnderInvestigation)));
                break;
            case VictimInformed v when caseId is not null:
                await Update(writer, e, caseId, ct, "victim_update_due = @due", ("due", v.NextUpdateDue is { } next ? Day(next) : null));
                break;
            case PoliceCaseClosed when caseId is not null:
                await Update(writer, e, caseId, ct, "status = @status", ("status", nameof(PoliceCaseStatus.Closed)));
                break;
            case NoContactInstructionRecorded n:
                await writer.ExecuteAsync(
                    """
                    INSERT INTO police_instructions (instruction_id, agency_id, case_id, officer_email, officer_name, issued_on, ends_on, statutory_order,
                        suspect_family_key, suspect_email, suspect_phone, suspect, protected_persons)
                    VALUES (@id, @agency, @case, @email, @name, @on, @ends, @order, @family, @semail, @sphone, @suspect, @protected)
                    ON CONFLICT (instruction_id) DO NOTHING
                    """, ct,
                    ("id", n.InstructionId), ("agency", e.AgencyId), ("case", n.CaseId), ("email", n.OfficerEmail), ("name", n.OfficerName),
                    ("on", Day(n.IssuedOn)), ("ends", n.EndsOn is { } end ? Day(end) : null), ("order", n.StatutoryOrder),
                    ("family", FamilyKey(n.Suspect.FamilyName)), ("semail", EmailKey(n.Suspect.Emails.FirstOrDefault())), ("sphone", PhoneKey(n.Suspect.Phones.FirstOrDefault())),
                    ("suspect", JsonSerializer.Serialize(n.Suspect, EventSerializer.Options)),
                    ("protected", JsonSerializer.Serialize(n.ProtectedPersons ?? [], EventSerializer.Options)));
                break;
            case FurtherContactAlertRaised a:
                await writer.ExecuteAsync(
                    """
                    INSERT INTO police_alerts (alert_id, agency_id, case_id, instruction_id, officer_email, source_agency_id, contact_id, referral_id,
                        received_at, breach, explanation, raised_at)
                    VALUES (@id, @agency, @case, @instruction, @officer, @source, @contact, @referral, @received, @breach, @explanation, @at)
                    ON CONFLICT (alert_id) DO NOTHING
                    """, ct,
                    ("id", a.AlertId), ("agency", e.AgencyId), ("case", a.CaseId), ("instruction", a.InstructionId), ("officer", a.OfficerEmail),
                    ("source", a.OfficeId), ("contact", a.ContactId), ("referral", a.ReferralId), ("received", Utc(a.ContactReceivedAt)),
                    ("breach", a.Breach ? 1 : 0), ("explanation", a.Explanation), ("at", e.RecordedAt));
                break;
            case MaliciousReferralNotified m:
                // The council's notice that a referral by the case's suspect was malicious: shown with the further-contact alerts.
                await writer.ExecuteAsync(
                    """
                    INSERT INTO police_alerts (alert_id, agency_id, case_id, instruction_id, officer_email, source_agency_id, contact_id, referral_id,
                        received_at, breach, explanation, raised_at)
                    VALUES (@id, @agency, @case, @instruction, @officer, @source, @contact, @referral, @received, 0, @explanation, @at)
                    ON CONFLICT (alert_id) DO NOTHING
                    """, ct,
                    ("id", m.NoticeId), ("agency", e.AgencyId), ("case", m.CaseId), ("instruction", m.InstructionId ?? ""), ("officer", m.OfficerEmail),
                    ("source", m.CouncilId), ("contact", m.ReferralId), ("referral", m.ReferralId), ("received", Utc(m.ReferralReceivedAt)),
                    ("explanation", m.Notice), ("at", e.RecordedAt));
                break;
            case IntelligenceEntryRecorded i:
                await writer.ExecuteAsync(
                    """
                    INSERT INTO police_intelligence (entry_id, agency_id, stream_id, case_id, given_name, family_name, family_key, date_of_birth, email, phone,
                        postcode_key, summary, grading, handling_restrictions, recorded_by, recorded_at)
                    VALUES (@id, @agency, @stream, @case, @given, @family, @key, @dob, @email, @phone, @postcode, @summary, @grading, @restrictions, @by, @at)
                    ON CONFLICT (entry_id) DO NOTHING
                    """, ct,
                    ("id", i.EntryId), ("agency", e.AgencyId), ("stream", e.StreamId), ("case", i.CaseId), ("given", i.Subject.GivenName),
                    ("family", i.Subject.FamilyName), ("key", FamilyKey(i.Subject.FamilyName)), ("dob", i.Subject.DateOfBirth),
                    ("email", EmailKey(i.Subject.Email)), ("phone", PhoneKey(i.Subject.Phone)), ("postcode", PostcodeKey(i.Subject.Address?.Postcode)),
                    ("summary", i.Summary), ("grading", $"{i.SourceEvaluation}{i.IntelligenceAssessment}{i.HandlingCode}"),
                    ("restrictions", i.HandlingRestrictions), ("by", i.RecordedBy), ("at", Utc(i.RecordedAt)));
                break;
            default:
                break;
        }
    }

    private static Task<int> Update(ProjectionWriter writer, StoredEvent e, string caseId, CancellationToken ct, string set, params (string Name, object? Value)[] parameters) =>
        writer.ExecuteAsync($"UPDATE police_cases SET {set}, updated_at = @updated WHERE case_id = @case", ct,
            [.. parameters, ("updated", e.RecordedAt), ("case", caseId)]);

    /// <summary>The protected persons stored with an instruction.</summary>
    public static IReadOnlyList<PersonDetails> ProtectedPersons(string json) =>
        JsonSerializer.Deserialize<List<PersonDetails>>(json, EventSerializer.Options) ?? [];
}
