using System.Text.Json;
using Threshold.Domain.Integrity;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;

namespace Threshold.Storage.Integrity;

/// <summary>
/// The people the referral integrity check looks for, across agencies: suspects, victims and the
/// victims' households of police cases, the subjects of no-contact instructions and orders, and the
/// referrers of earlier referrals. One row per person in a record, in ledger order (<c>seq</c>), so
/// the host's in-memory person index catches up by reading the rows after the last it holds.
/// Which agency may see which row is decided at query time, by the information-sharing agreements.
/// Written only from events; can be rebuilt.
/// </summary>
public sealed class IntegrityProjection : IProjection
{
    /// <summary>Rows per event at most (a case's suspects and household together).</summary>
    public const int MaxPersonsPerEvent = 1024;

    public static class Roles
    {
        public const string Suspect = "suspect";
        public const string Victim = "victim";
        public const string Household = "household";
        public const string InstructionSubject = "instruction-subject";
        public const string Referrer = "referrer";
    }

    public string Name => "integrity";

    public int Version => 1;

    public IReadOnlyList<string> Schema { get; } =
    [
        """
        CREATE TABLE IF NOT EXISTS integrity_persons (
            seq BIGINT PRIMARY KEY,
            agency_id TEXT NOT NULL,
            role TEXT NOT NULL,
            record_id TEXT NOT NULL,
            person TEXT NOT NULL,
            recorded_at TEXT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS integrity_persons_record ON integrity_persons (record_id)",
        """
        CREATE TABLE IF NOT EXISTS integrity_disclosures (
            disclosure_id TEXT PRIMARY KEY,
            agency_id TEXT NOT NULL,
            case_id TEXT NULL,
            record_kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            council_name TEXT NOT NULL,
            referral_reference TEXT NOT NULL,
            signal_kind TEXT NOT NULL,
            disclosed TEXT NOT NULL,
            agreement_id TEXT NOT NULL,
            disclosed_at TEXT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS integrity_disclosures_case ON integrity_disclosures (case_id)",
    ];

    public IReadOnlyList<string> Tables { get; } = ["integrity_persons", "integrity_disclosures"];

    public async Task ApplyAsync(StoredEvent e, ProjectionWriter writer, CancellationToken ct)
    {
        if (e.Type == nameof(IntegrityDisclosureMade) && EventSerializer.Deserialize(e) is IntegrityDisclosureMade d)
        {
            await writer.ExecuteAsync(
                """
                INSERT INTO integrity_disclosures (disclosure_id, agency_id, case_id, record_kind, record_id, council_name, referral_reference, signal_kind, disclosed, agreement_id, disclosed_at)
                VALUES (@id, @agency, @case, @kind, @record, @council, @reference, @signal, @disclosed, @agreement, @at)
                ON CONFLICT (disclosure_id) DO NOTHING
                """, ct,
                ("id", d.DisclosureId), ("agency", e.AgencyId), ("case", d.CaseId), ("kind", d.SourceRecordKind), ("record", d.SourceRecordId), ("council", d.CouncilName),
                ("reference", d.ReferralReference), ("signal", d.SignalKind), ("disclosed", d.Disclosed), ("agreement", d.AgreementId), ("at", e.RecordedAt));
            return;
        }
        var rows = e.Type switch
        {
            nameof(PoliceCaseOpened) or nameof(NoContactInstructionRecorded) or nameof(ReferralReceived) => Rows(EventSerializer.Deserialize(e)),
            _ => [],
        };
        var n = 0;
        foreach (var (role, recordId, person) in rows.Take(MaxPersonsPerEvent))
        {
            await writer.ExecuteAsync(
                """
                INSERT INTO integrity_persons (seq, agency_id, role, record_id, person, recorded_at)
                VALUES (@seq, @agency, @role, @record, @person, @at)
                ON CONFLICT (seq) DO NOTHING
                """, ct,
                ("seq", (e.Position * MaxPersonsPerEvent) + n++), ("agency", e.AgencyId), ("role", role), ("record", recordId),
                ("person", JsonSerializer.Serialize(person, EventSerializer.Options)), ("at", e.RecordedAt));
        }
    }

    private static IEnumerable<(string Role, string RecordId, PersonDetails Person)> Rows(Domain.IEvent? e)
    {
        switch (e)
        {
            case PoliceCaseOpened o:
                yield return (Roles.Victim, o.CaseId, o.Victim);
                foreach (var s in o.Suspects)
                {
                    yield return (Roles.Suspect, o.CaseId, s);
                }
                foreach (var h in o.Household)
                {
                    yield return (Roles.Household, o.CaseId, h);
                }
                break;
            case NoContactInstructionRecorded n:
                // One row per address the subject is known by: each is a way the referrer may be recognised.
                var emails = n.Suspect.Emails.Count == 0 ? [null] : n.Suspect.Emails.Cast<string?>();
                var i = 0;
                foreach (var email in emails)
                {
                    yield return (Roles.InstructionSubject, n.InstructionId,
                        new PersonDetails(n.Suspect.GivenName, n.Suspect.FamilyName, n.Suspect.DateOfBirth, email, n.Suspect.Phones.ElementAtOrDefault(i++) ?? n.Suspect.Phones.FirstOrDefault(), null));
                }
                break;
            case ReferralReceived r when r.Referrer.Person is { } referrer && !r.Referrer.Anonymous:
                yield return (Roles.Referrer, r.ReferralId, referrer);
                break;
            default:
                break;
        }
    }
}
