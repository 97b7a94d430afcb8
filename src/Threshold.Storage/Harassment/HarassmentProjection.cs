using System.Globalization;
using System.Text.Json;
using Threshold.Domain.Harassment;
using Threshold.Domain.Policing;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;

namespace Threshold.Storage.Harassment;

/// <summary>
/// Read model of the harassment log: contacts with their labels (after caseworkers' reviews),
/// correspondents (after merges and splits), requests to stop, reports to police, and the no-contact
/// instructions that the further-contact hook checks. Written only from events; can be rebuilt.
/// </summary>
public sealed class HarassmentProjection : IProjection
{
    public string Name => "harassment";

    public int Version => 5;

    /// <summary>A correspondent's contacts by date. A batch of an import touches a page of it per correspondent, scattered: a large import suspends it (IntakeSession).</summary>
    public const string CorrespondentIndex = "CREATE INDEX IF NOT EXISTS harassment_contacts_correspondent ON harassment_contacts (correspondent_id, received_at)";

    public IReadOnlyList<string> Schema { get; } =
    [
        """
        CREATE TABLE IF NOT EXISTS harassment_contacts (
            contact_id TEXT PRIMARY KEY,
            office_id TEXT NOT NULL,
            stream_id TEXT NOT NULL,
            position BIGINT NOT NULL,
            correspondent_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            received_at TEXT NOT NULL,
            sender_name TEXT NULL,
            sender_email TEXT NULL,
            sender_phone TEXT NULL,
            subject TEXT NULL,
            body TEXT NOT NULL,
            raw_sha256 TEXT NULL,
            message_id TEXT NULL,
            fingerprint TEXT NULL,
            forwarded_by TEXT NULL,
            grouping_reason TEXT NOT NULL,
            labels TEXT NOT NULL,
            flags TEXT NOT NULL,
            logged_at TEXT NOT NULL,
            logged_by TEXT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS harassment_contacts_office ON harassment_contacts (office_id, received_at)",
        CorrespondentIndex,
        """
        CREATE TABLE IF NOT EXISTS harassment_labels (
            contact_id TEXT NOT NULL,
            label TEXT NOT NULL,
            bucket TEXT NOT NULL,
            score TEXT NOT NULL,
            reasons TEXT NOT NULL,
            review TEXT NULL,
            review_note TEXT NULL,
            reviewed_by TEXT NULL,
            applies INTEGER NOT NULL,
            PRIMARY KEY (contact_id, label))
        """,
        """
        CREATE TABLE IF NOT EXISTS harassment_correspondents (
            correspondent_id TEXT PRIMARY KEY,
            office_id TEXT NOT NULL,
            display_name TEXT NOT NULL,
            merged_into TEXT NULL,
            created_reason TEXT NOT NULL,
            created_at TEXT NOT NULL,
            asked_to_stop_on TEXT NULL,
            asked_how TEXT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS harassment_correspondents_office ON harassment_correspondents (office_id)",
        """
        CREATE TABLE IF NOT EXISTS harassment_regroupings (
            regrouping_id TEXT PRIMARY KEY,
            office_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            from_id TEXT NOT NULL,
            to_id TEXT NOT NULL,
            contact_ids TEXT NOT NULL,
            reason TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            undone INTEGER NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS harassment_reports (
            report_id TEXT PRIMARY KEY,
            office_id TEXT NOT NULL,
            police_agency_id TEXT NOT NULL,
            correspondent_id TEXT NOT NULL,
            correspondent_name TEXT NOT NULL,
            contact_count INTEGER NOT NULL,
            summary TEXT NOT NULL,
            pack_sha256 TEXT NOT NULL,
            zip_sha256 TEXT NOT NULL,
            manifest_sha256 TEXT NOT NULL,
            status TEXT NOT NULL,
            status_note TEXT NULL,
            sent_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS no_contact_instructions (
            instruction_id TEXT PRIMARY KEY,
            case_id TEXT NOT NULL,
            police_agency_id TEXT NOT NULL,
            officer_email TEXT NOT NULL,
            officer_name TEXT NOT NULL,
            issued_on TEXT NOT NULL,
            suspect TEXT NOT NULL,
            protected_agencies TEXT NOT NULL,
            statutory_order TEXT NULL,
            ends_on TEXT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS further_contact_alerts (
            alert_id TEXT PRIMARY KEY,
            police_agency_id TEXT NOT NULL,
            instruction_id TEXT NOT NULL,
            case_id TEXT NOT NULL,
            officer_email TEXT NOT NULL,
            office_id TEXT NOT NULL,
            contact_id TEXT NOT NULL,
            received_at TEXT NOT NULL,
            breach INTEGER NOT NULL,
            explanation TEXT NOT NULL,
            raised_at TEXT NOT NULL)
        """,
    ];

    public IReadOnlyList<string> Tables { get; } =
        ["harassment_contacts", "harassment_labels", "harassment_correspondents", "harassment_regroupings", "harassment_reports", "no_contact_instructions", "further_contact_alerts"];

    /// <summary>Sortable UTC text for times (ISO 8601, milliseconds).</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public async Task ApplyAsync(StoredEvent e, ProjectionWriter writer, CancellationToken ct)
    {
        // Only this projection's events are deserialised: the ledger holds many kinds.
        if (!Handles(e.Type))
        {
            return;
        }
        switch (EventSerializer.Deserialize(e))
        {
            case ContactLogged c:
                await ContactLoggedAsync(e, c, writer, ct);
                break;
            case ContactLabelReviewed r:
                // A label the scorer found nothing for has no row until it is reviewed (see ContactLoggedAsync).
                await writer.ExecuteAsync(
                    """
                    INSERT INTO harassment_labels (contact_id, label, bucket, score, reasons, review, review_note, reviewed_by, applies)
                    VALUES (@contact, @label, @bucket, '0', '[]', @review, @note, @by, @applies)
                    ON CONFLICT (contact_id, label) DO UPDATE SET review = @review, review_note = @note, reviewed_by = @by, applies = @applies
                    """, ct,
                    ("contact", r.ContactId), ("label", r.Label), ("bucket", TriageLabels.Unlikely), ("review", r.Decision), ("note", r.Note), ("by", e.Actor),
                    ("applies", r.Decision == TriageLabels.Confirmed ? 1 : 0));
                await RefreshLabelsAsync(writer, r.ContactId, ct);
                break;
            case CorrespondentsMerged m:
                await MoveAsync(writer, m.MovedContactIds, m.MergedId, m.IntoId, ct);
                await writer.ExecuteAsync("UPDATE harassment_correspondents SET merged_into = @into WHERE correspondent_id = @id", ct, ("into", m.IntoId), ("id", m.MergedId));
                await RegroupingAsync(writer, e, m.MergeId, m.OfficeId, "merge", m.MergedId, m.IntoId, m.MovedContactIds, m.Reason, ct);
                break;
            case CorrespondentMergeUndone u:
                if (await RegroupingOfAsync(writer, u.MergeId, ct) is { } merge)
                {
                    await MoveAsync(writer, merge.Contacts, merge.To, merge.From, ct);
                    await writer.ExecuteAsync("UPDATE harassment_correspondents SET merged_into = NULL WHERE correspondent_id = @id", ct, ("id", merge.From));
                    await writer.ExecuteAsync("UPDATE harassment_regroupings SET undone = 1 WHERE regrouping_id = @id", ct, ("id", u.MergeId));
                }
                break;
            case ContactsSplitOff s:
                await writer.ExecuteAsync(
                    """
                    INSERT INTO harassment_correspondents (correspondent_id, office_id, display_name, merged_into, created_reason, created_at)
                    VALUES (@id, @office, @name, NULL, @reason, @at)
                    ON CONFLICT (correspondent_id) DO UPDATE SET merged_into = NULL
                    """, ct,
                    ("id", s.NewCorrespondentId), ("office", s.OfficeId), ("name", s.NewDisplayName), ("reason", $"split off: {s.Reason}"), ("at", e.RecordedAt));
                await MoveAsync(writer, s.ContactIds, s.FromId, s.NewCorrespondentId, ct);
                await RegroupingAsync(writer, e, s.SplitId, s.OfficeId, "split", s.FromId, s.NewCorrespondentId, s.ContactIds, s.Reason, ct);
                break;
            case ContactsSplitUndone u:
                if (await RegroupingOfAsync(writer, u.SplitId, ct) is { } split)
                {
                    await MoveAsync(writer, split.Contacts, split.To, split.From, ct);
                    await writer.ExecuteAsync("UPDATE harassment_correspondents SET merged_into = @from WHERE correspondent_id = @id", ct, ("from", split.From), ("id", split.To));
                    await writer.ExecuteAsync("UPDATE harassment_regroupings SET undone = 1 WHERE regrouping_id = @id", ct, ("id", u.SplitId));
                }
                break;
            case CorrespondentAskedToStop a:
                await writer.ExecuteAsync(
                    "UPDATE harassment_correspondents SET asked_to_stop_on = @on, asked_how = @how WHERE correspondent_id = @id", ct,
                    ("on", Time(a.AskedOn)), ("how", a.How), ("id", a.CorrespondentId));
                break;
            case CrimeReportSent r:
                await writer.ExecuteAsync(
                    """
                    INSERT INTO harassment_reports (report_id, office_id, police_agency_id, correspondent_id, correspondent_name, contact_count, summary,
                        pack_sha256, zip_sha256, manifest_sha256, status, status_note, sent_at, updated_at)
                    VALUES (@id, @office, @police, @correspondent, @name, @count, @summary, @pack, @zip, @manifest, @status, NULL, @at, @at)
                    """, ct,
                    ("id", r.ReportId), ("office", r.OfficeId), ("police", r.PoliceAgencyId), ("correspondent", r.CorrespondentId),
                    ("name", r.CorrespondentName), ("count", r.ContactCount), ("summary", r.Summary), ("pack", r.PackSha256),
                    ("zip", r.ZipSha256), ("manifest", r.ManifestSha256), ("status", CrimeReportStatus.Sent), ("at", e.RecordedAt));
                break;
            case CrimeReportStatusChanged s:
                await writer.ExecuteAsync(
                    "UPDATE harassment_reports SET status = @status, status_note = @note, updated_at = @at WHERE report_id = @id", ct,
                    ("status", s.Status), ("note", s.Note), ("at", e.RecordedAt), ("id", s.ReportId));
                break;
            case NoContactInstructionRecorded n:
                await writer.ExecuteAsync(
                    """
                    INSERT INTO no_contact_instructions (instruction_id, case_id, police_agency_id, officer_email, officer_name, issued_on, suspect, protected_agencies, statutory_order, ends_on)
                    VALUES (@id, @case, @police, @email, @name, @on, @suspect, @protected, @order, @ends)
                    """, ct,
                    ("id", n.InstructionId), ("case", n.CaseId), ("police", n.PoliceAgencyId), ("email", n.OfficerEmail), ("name", n.OfficerName),
                    ("on", n.IssuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("suspect", JsonSerializer.Serialize(n.Suspect, EventSerializer.Options)),
                    ("protected", "," + string.Join(',', n.ProtectedAgencyIds) + ","), ("order", n.StatutoryOrder),
                    ("ends", n.EndsOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
                break;
            case FurtherContactAlertRaised a:
                await writer.ExecuteAsync(
                    """
                    INSERT INTO further_contact_alerts (alert_id, police_agency_id, instruction_id, case_id, officer_email, office_id, contact_id, received_at, breach, explanation, raised_at)
                    VALUES (@id, @police, @instruction, @case, @officer, @office, @contact, @received, @breach, @explanation, @at)
                    """, ct,
                    ("id", a.AlertId), ("police", e.AgencyId), ("instruction", a.InstructionId), ("case", a.CaseId), ("officer", a.OfficerEmail),
                    ("office", a.OfficeId), ("contact", a.ContactId), ("received", Time(a.ContactReceivedAt)), ("breach", a.Breach ? 1 : 0),
                    ("explanation", a.Explanation), ("at", e.RecordedAt));
                break;
        }
    }

    private static bool Handles(string type) => type is nameof(ContactLogged) or nameof(ContactLabelReviewed) or nameof(CorrespondentsMerged)
        or nameof(CorrespondentMergeUndone) or nameof(ContactsSplitOff) or nameof(ContactsSplitUndone) or nameof(CorrespondentAskedToStop)
        or nameof(CrimeReportSent) or nameof(CrimeReportStatusChanged) or nameof(NoContactInstructionRecorded) or nameof(FurtherContactAlertRaised);

    private static async Task ContactLoggedAsync(StoredEvent e, ContactLogged c, ProjectionWriter writer, CancellationToken ct)
    {
        if (c.NewCorrespondent)
        {
            await writer.ExecuteAsync(
            """
                INSERT INTO harassment_correspondents (correspondent_id, office_id, display_name, merged_into, created_reason, created_at)
                VALUES (@id, @office, @name, NULL, @reason, @at)
                ON CONFLICT (correspondent_id) DO NOTHING
                """, ct,
                ("id", c.CorrespondentId), ("office", c.OfficeId), ("name", DisplayName(c.Sender)), ("reason", c.GroupingReason), ("at", e.RecordedAt));
        }
        var applying = c.Labels.Where(l => TriageLabels.Applies(l.Bucket)).Select(l => l.Label);
        await writer.ExecuteAsync(
            """
            INSERT INTO harassment_contacts (contact_id, office_id, stream_id, position, correspondent_id, channel, received_at, sender_name, sender_email, sender_phone,
                subject, body, raw_sha256, message_id, fingerprint, forwarded_by, grouping_reason, labels, flags, logged_at, logged_by)
            VALUES (@id, @office, @stream, @position, @correspondent, @channel, @received, @name, @email, @phone,
                @subject, @body, @raw, @mid, @fingerprint, @forwarded, @reason, @labels, @flags, @at, @by)
            """, ct,
            ("id", c.ContactId), ("office", c.OfficeId), ("stream", e.StreamId), ("position", e.Position), ("correspondent", c.CorrespondentId), ("channel", c.Channel),
            ("received", Time(c.ReceivedAt)), ("name", c.Sender.DisplayName), ("email", c.Sender.Email?.ToLowerInvariant()), ("phone", c.Sender.Phone),
            ("subject", c.Subject), ("body", c.Body), ("raw", c.Message?.RawSha256), ("mid", c.Message?.MessageId), ("fingerprint", c.Message?.Fingerprint),
            ("forwarded", c.Forwarded?.ForwarderAddress), ("reason", c.GroupingReason), ("labels", string.Join(',', applying)),
            ("flags", string.Join('\n', c.Flags)), ("at", e.RecordedAt), ("by", e.Actor));
        // A row for each label the scorer found something for; one it found nothing for (unlikely, no words) has none, and
        // HarassmentQueries.LabelsAsync shows it as unlikely. Most labels of most contacts are so: a row for each made the
        // read model's writes a third larger. They go in one statement per MaxLabels of them (one, with today's six):
        // one statement to prepare instead of one per label.
        foreach (var chunk in c.Labels.Where(Found).Chunk(MaxLabels))
        {
            var parameters = new (string Name, object? Value)[chunk.Length * 5 + 1];
            parameters[0] = ("contact", c.ContactId);
            for (var i = 0; i < chunk.Length; i++)
            {
                var (l, names) = (chunk[i], LabelParameters[i]);
                parameters[i * 5 + 1] = (names[0], l.Label);
                parameters[i * 5 + 2] = (names[1], l.Bucket);
                parameters[i * 5 + 3] = (names[2], l.Score.ToString("0.##", CultureInfo.InvariantCulture));
                parameters[i * 5 + 4] = (names[3], JsonSerializer.Serialize(l.Reasons, EventSerializer.Options));
                parameters[i * 5 + 5] = (names[4], TriageLabels.Applies(l.Bucket) ? 1 : 0);
            }
            await writer.ExecuteAsync(LabelInserts[chunk.Length - 1], ct, parameters);
        }

        static bool Found(LabelFinding l) => l.Bucket != TriageLabels.Unlikely || l.Reasons.Count > 0 || l.Score != 0;
    }

    private const int MaxLabels = 16;

    // The parameter names of the i-th label row, and the insert of n rows, made once.
    private static readonly string[][] LabelParameters =
        [.. Enumerable.Range(0, MaxLabels).Select(i => new[] { $"label{i}", $"bucket{i}", $"score{i}", $"reasons{i}", $"applies{i}" })];

    private static readonly string[] LabelInserts =
        [.. Enumerable.Range(1, MaxLabels).Select(n => "INSERT INTO harassment_labels (contact_id, label, bucket, score, reasons, applies) VALUES "
            + string.Join(", ", Enumerable.Range(0, n).Select(i => $"(@contact, @label{i}, @bucket{i}, @score{i}, @reasons{i}, @applies{i})")))];

    public static string DisplayName(ContactSender s) =>
        s.DisplayName is { Length: > 0 } name ? name
        : string.Join(' ', new[] { s.GivenName, s.FamilyName }.Where(p => !string.IsNullOrWhiteSpace(p))) is { Length: > 0 } full ? full
        : s.Email ?? s.Phone ?? "Unknown sender";

    private static async Task RefreshLabelsAsync(ProjectionWriter writer, string contactId, CancellationToken ct)
    {
        var labels = new List<string>();
        await using (var command = writer.Command("SELECT label FROM harassment_labels WHERE contact_id = @id AND applies = 1", ("id", contactId)))
        {
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                labels.Add(r.GetString(0));
            }
        }
        var ordered = TriageLabels.All.Select(l => l.Slug).Where(labels.Contains);
        await writer.ExecuteAsync("UPDATE harassment_contacts SET labels = @labels WHERE contact_id = @id", ct, ("labels", string.Join(',', ordered)), ("id", contactId));
    }

    private static async Task MoveAsync(ProjectionWriter writer, IReadOnlyList<string> contactIds, string from, string to, CancellationToken ct)
    {
        foreach (var id in contactIds)
        {
            await writer.ExecuteAsync(
                "UPDATE harassment_contacts SET correspondent_id = @to WHERE contact_id = @id AND correspondent_id = @from", ct,
                ("to", to), ("id", id), ("from", from));
        }
    }

    private static Task RegroupingAsync(ProjectionWriter writer, StoredEvent e, string id, string office, string kind, string from, string to, IReadOnlyList<string> contacts, string reason, CancellationToken ct) =>
        writer.ExecuteAsync(
            """
            INSERT INTO harassment_regroupings (regrouping_id, office_id, kind, from_id, to_id, contact_ids, reason, recorded_at, recorded_by, undone)
            VALUES (@id, @office, @kind, @from, @to, @contacts, @reason, @at, @by, 0)
            """, ct,
            ("id", id), ("office", office), ("kind", kind), ("from", from), ("to", to), ("contacts", string.Join(',', contacts)),
            ("reason", reason), ("at", e.RecordedAt), ("by", e.Actor));

    private static async Task<(string From, string To, string[] Contacts)?> RegroupingOfAsync(ProjectionWriter writer, string id, CancellationToken ct)
    {
        await using var command = writer.Command(
            "SELECT from_id, to_id, contact_ids FROM harassment_regroupings WHERE regrouping_id = @id AND undone = 0", ("id", id));
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? (r.GetString(0), r.GetString(1), r.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries))
            : null;
    }
}
