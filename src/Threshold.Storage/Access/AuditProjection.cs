using Threshold.Domain.Access;
using Threshold.Domain.Administration;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;

namespace Threshold.Storage.Access;

/// <summary>
/// The auditors' view of the ledger: one row per event, with who did it, to which record, and a
/// one-line summary that never repeats case content (the audit page itself is not a content read).
/// </summary>
public sealed class AuditProjection : IProjection
{
    public string Name => "audit-log";

    public int Version => 1;

    public IReadOnlyList<string> Schema { get; } =
    [
        """
        CREATE TABLE IF NOT EXISTS audit_log (
            position BIGINT PRIMARY KEY,
            agency_id TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            event_type TEXT NOT NULL,
            stream_id TEXT NOT NULL,
            category TEXT NOT NULL,
            summary TEXT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS audit_log_agency ON audit_log (agency_id, position)",
    ];

    public IReadOnlyList<string> Tables { get; } = ["audit_log"];

    public Task ApplyAsync(StoredEvent e, ProjectionWriter writer, CancellationToken ct)
    {
        var (category, summary) = Describe(e);
        return writer.ExecuteAsync(
            """
            INSERT INTO audit_log (position, agency_id, recorded_at, actor, event_type, stream_id, category, summary)
            VALUES (@position, @agency, @at, @actor, @type, @stream, @category, @summary)
            """, ct,
            ("position", e.Position), ("agency", e.AgencyId), ("at", e.RecordedAt), ("actor", e.Actor),
            ("type", e.Type), ("stream", e.StreamId), ("category", category), ("summary", summary));
    }

    private static (string Category, string Summary) Describe(StoredEvent e) => EventSerializer.Deserialize(e) switch
    {
        CaseContentRead r => ("read", $"Read {r.StreamId} ({r.OwnerAgencyId}) via {r.Channel}: {r.Purpose}"),
        CaseAccessRefused r => ("refused", $"Refused {r.StreamId} via {r.Channel}: {r.Reason}"),
        SignInSucceeded s => ("sign-in", $"Signed in as {s.Email}"),
        SignInFailed f => ("sign-in", $"Wrong password for {f.Email} ({f.FailedCount} in a row)"),
        UserLockedOut l => ("sign-in", $"{l.Email} locked out until {l.Until:yyyy-MM-dd HH:mm} UTC"),
        SignInFailuresReset => ("sign-in", "Failed sign-in count reset"),
        AgencyRegistered a => ("administration", $"Agency registered: {a.Name} ({a.Kind})"),
        UserRegistered u => ("administration", $"User added: {u.Email} as {u.Role}"),
        UserRoleGranted g => ("administration", $"Role {g.Role} granted to user {g.UserId}"),
        UserPasswordChanged p => ("administration", $"Password changed for user {p.UserId}"),
        ApiTokenIssued t => ("administration", $"API token {t.TokenId} issued to user {t.UserId}, expires {t.ExpiresAt:yyyy-MM-dd}"),
        ApiTokenRevoked t => ("administration", $"API token {t.TokenId} revoked: {t.Reason}"),
        InformationSharingAgreementRecorded a => ("administration", $"Information-sharing agreement for {a.Purpose}: {string.Join(", ", a.AgencyIds)}"),
        RecordShared s => ("sharing", $"Record {s.StreamId} shared with {s.SharedWithAgencyId}"),
        _ => ("record", $"{e.Type} on {e.StreamId}"),
    };
}
