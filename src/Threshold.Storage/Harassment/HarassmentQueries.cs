using System.Text;
using Dapper;
using Threshold.Domain.Harassment;

namespace Threshold.Storage.Harassment;

public sealed class ContactRow
{
    public string ContactId { get; set; } = "";
    public string OfficeId { get; set; } = "";
    public string StreamId { get; set; } = "";
    public long Position { get; set; }
    public string CorrespondentId { get; set; } = "";
    public string Channel { get; set; } = "";
    public string ReceivedAt { get; set; } = "";
    public string? SenderName { get; set; }
    public string? SenderEmail { get; set; }
    public string? SenderPhone { get; set; }
    public string? Subject { get; set; }
    public string Body { get; set; } = "";
    public string? RawSha256 { get; set; }
    public string? MessageId { get; set; }
    public string? Fingerprint { get; set; }
    public string? ForwardedBy { get; set; }
    public string GroupingReason { get; set; } = "";
    public string Labels { get; set; } = "";
    public string Flags { get; set; } = "";
    public string LoggedAt { get; set; } = "";
    public string LoggedBy { get; set; } = "";

    public IReadOnlyList<string> LabelList => Labels.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public IReadOnlyList<string> FlagList => Flags.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public DateTimeOffset ReceivedAtTime => DateTimeOffset.Parse(ReceivedAt, System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class LabelRow
{
    public string ContactId { get; set; } = "";
    public string Label { get; set; } = "";
    public string Bucket { get; set; } = "";
    public string Score { get; set; } = "";
    public string Reasons { get; set; } = "[]";
    public string? Review { get; set; }
    public string? ReviewNote { get; set; }
    public string? ReviewedBy { get; set; }
    public long Applies { get; set; }

    public IReadOnlyList<string> ReasonList => System.Text.Json.JsonSerializer.Deserialize<string[]>(Reasons) ?? [];
}

public sealed class CorrespondentRow
{
    public string CorrespondentId { get; set; } = "";
    public string OfficeId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string? MergedInto { get; set; }
    public string CreatedReason { get; set; } = "";
    public string CreatedAt { get; set; } = "";
    public string? AskedToStopOn { get; set; }
    public string? AskedHow { get; set; }
    public long ContactCount { get; set; }
    public string? FirstReceived { get; set; }
    public string? LastReceived { get; set; }
    public string Addresses { get; set; } = "";
    public string Labels { get; set; } = "";

    public IReadOnlyList<string> AddressList => Addresses.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public IReadOnlyList<string> LabelList => Labels.Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
}

public sealed class RegroupingRow
{
    public string RegroupingId { get; set; } = "";
    public string Kind { get; set; } = "";
    public string FromId { get; set; } = "";
    public string ToId { get; set; } = "";
    public string ContactIds { get; set; } = "";
    public string Reason { get; set; } = "";
    public string RecordedAt { get; set; } = "";
    public string RecordedBy { get; set; } = "";
    public long Undone { get; set; }
}

public sealed class ReportRow
{
    public string ReportId { get; set; } = "";
    public string OfficeId { get; set; } = "";
    public string PoliceAgencyId { get; set; } = "";
    public string CorrespondentId { get; set; } = "";
    public string CorrespondentName { get; set; } = "";
    public long ContactCount { get; set; }
    public string Summary { get; set; } = "";
    public string PackSha256 { get; set; } = "";
    public string ZipSha256 { get; set; } = "";
    public string ManifestSha256 { get; set; } = "";
    public string Status { get; set; } = "";
    public string? StatusNote { get; set; }
    public string SentAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
}

public sealed class InstructionRow
{
    public string InstructionId { get; set; } = "";
    public string CaseId { get; set; } = "";
    public string PoliceAgencyId { get; set; } = "";
    public string OfficerEmail { get; set; } = "";
    public string OfficerName { get; set; } = "";
    public string IssuedOn { get; set; } = "";
    public string Suspect { get; set; } = "{}";
    public string? StatutoryOrder { get; set; }
    /// <summary>The last day a statutory order has effect (yyyy-MM-dd), or null: until further order, or a non-statutory instruction.</summary>
    public string? EndsOn { get; set; }
}

public sealed class AlertRow
{
    public string AlertId { get; set; } = "";
    public string InstructionId { get; set; } = "";
    public string CaseId { get; set; } = "";
    public string OfficerEmail { get; set; } = "";
    public string OfficeId { get; set; } = "";
    public string ContactId { get; set; } = "";
    public string ReceivedAt { get; set; } = "";
    public long Breach { get; set; }
    public string Explanation { get; set; } = "";
    public string RaisedAt { get; set; } = "";
}

/// <summary>What the contacts list may be narrowed by.</summary>
public sealed record ContactFilter(
    string? CorrespondentId = null,
    string? Label = null,
    string? Channel = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Search = null,
    int Limit = 500);

/// <summary>Questions asked of the harassment log's read model. Every query is scoped to one office.</summary>
public sealed class HarassmentQueries(ThresholdStore store)
{
    private const string ContactColumns = """
        c.contact_id AS ContactId, c.office_id AS OfficeId, c.stream_id AS StreamId, c.position AS Position, c.correspondent_id AS CorrespondentId, c.channel AS Channel,
        c.received_at AS ReceivedAt, c.sender_name AS SenderName, c.sender_email AS SenderEmail, c.sender_phone AS SenderPhone,
        c.subject AS Subject, c.body AS Body, c.raw_sha256 AS RawSha256, c.message_id AS MessageId, c.fingerprint AS Fingerprint,
        c.forwarded_by AS ForwardedBy, c.grouping_reason AS GroupingReason, c.labels AS Labels, c.flags AS Flags,
        c.logged_at AS LoggedAt, c.logged_by AS LoggedBy
        """;

    // SQLite spells string_agg(DISTINCT x, ',') group_concat(DISTINCT x), whose separator is a comma.
    private string Agg(string sql) => store.Kind == StoreKind.Sqlite
        ? System.Text.RegularExpressions.Regex.Replace(sql, @"string_agg\(DISTINCT ([^,]+), ','\)", "group_concat(DISTINCT $1)")
        : sql;

    /// <summary>
    /// What an import needs to know of the office's log, without bodies: every contact's sender,
    /// correspondent and dedupe keys.
    /// </summary>
    public async Task<IReadOnlyList<ContactRow>> ImportKeysAsync(string officeId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<ContactRow>(new CommandDefinition(
            """
            SELECT contact_id AS ContactId, correspondent_id AS CorrespondentId, sender_name AS SenderName, sender_email AS SenderEmail,
                   sender_phone AS SenderPhone, raw_sha256 AS RawSha256, message_id AS MessageId, fingerprint AS Fingerprint, received_at AS ReceivedAt
            FROM harassment_contacts WHERE office_id = @office ORDER BY received_at
            """, new { office = officeId }, cancellationToken: ct))];
    }

    public async Task<IReadOnlyList<ContactRow>> ContactsAsync(string officeId, ContactFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = new StringBuilder($"SELECT {ContactColumns} FROM harassment_contacts c WHERE c.office_id = @office");
        var args = new DynamicParameters(new { office = officeId });
        if (filter.CorrespondentId is { } correspondent)
        {
            sql.Append(" AND c.correspondent_id = @correspondent");
            args.Add("correspondent", correspondent);
        }
        if (filter.Label is { Length: > 0 } label)
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM harassment_labels l WHERE l.contact_id = c.contact_id AND l.label = @label AND l.applies = 1)");
            args.Add("label", label);
        }
        if (filter.Channel is { Length: > 0 } channel)
        {
            sql.Append(" AND c.channel = @channel");
            args.Add("channel", channel);
        }
        if (filter.From is { } from)
        {
            sql.Append(" AND c.received_at >= @from");
            args.Add("from", HarassmentProjection.Time(from));
        }
        if (filter.To is { } to)
        {
            sql.Append(" AND c.received_at < @to");
            args.Add("to", HarassmentProjection.Time(to));
        }
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            AppendSearch(sql, args, filter.Search, store.Kind);
        }
        sql.Append(" ORDER BY c.received_at DESC LIMIT @limit");
        args.Add("limit", filter.Limit);
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<ContactRow>(new CommandDefinition(sql.ToString(), args, cancellationToken: ct))];
    }

    /// <summary>
    /// Every word must appear in the subject, the body or the sender's name or address, in any case. The body is
    /// kept once (no lower-cased copy: that doubled what an import writes). SQLite's LIKE and PostgreSQL's ILIKE
    /// ignore the case of ASCII letters on their own; for a word with other letters the lower-case, capitalised
    /// and upper-case forms are each looked for ("zoë", "Zoë", "ZOË"), since SQLite folds only ASCII.
    /// </summary>
    internal static void AppendSearch(StringBuilder sql, DynamicParameters args, string search, StoreKind kind)
    {
        var like = kind == StoreKind.Postgres ? "ILIKE" : "LIKE";
        var words = search.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().Take(8).ToArray();
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            string[] forms = System.Text.Ascii.IsValid(word)
                ? [word]
                : [.. new[] { word, string.Concat(word[..1].ToUpperInvariant(), word.AsSpan(1)), word.ToUpperInvariant() }.Distinct()];
            var tests = new List<string>();
            for (var f = 0; f < forms.Length; f++)
            {
                var name = $"w{i}_{f}";
                args.Add(name, "%" + forms[f].Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%");
                foreach (var column in SearchedColumns)
                {
                    tests.Add($"c.{column} {like} @{name} ESCAPE '\\'");
                }
            }
            sql.Append(" AND (").AppendJoin(" OR ", tests).Append(')');
        }
    }

    private static readonly string[] SearchedColumns = ["body", "subject", "sender_name", "sender_email"];

    public async Task<ContactRow?> FindContactAsync(string officeId, string contactId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<ContactRow>(new CommandDefinition(
            $"SELECT {ContactColumns} FROM harassment_contacts c WHERE c.office_id = @office AND c.contact_id = @id",
            new { office = officeId, id = contactId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<LabelRow>> LabelsAsync(IReadOnlyCollection<string> contactIds, CancellationToken ct = default)
    {
        if (contactIds.Count == 0)
        {
            return [];
        }
        await using var c = await store.OpenConnectionAsync(ct);
        var rows = new List<LabelRow>();
        foreach (var chunk in contactIds.Chunk(500))
        {
            var names = string.Join(',', chunk.Select((_, i) => $"@c{i}"));
            var args = new DynamicParameters();
            for (var i = 0; i < chunk.Length; i++)
            {
                args.Add($"c{i}", chunk[i]);
            }
            rows.AddRange(await c.QueryAsync<LabelRow>(new CommandDefinition(
                $"""
                SELECT contact_id AS ContactId, label AS Label, bucket AS Bucket, score AS Score, reasons AS Reasons, review AS Review,
                       review_note AS ReviewNote, reviewed_by AS ReviewedBy, applies AS Applies
                FROM harassment_labels WHERE contact_id IN ({names})
                """, args, cancellationToken: ct)));
        }
        // A label the scorer found nothing for is not stored (HarassmentProjection): it is unlikely, with no reasons.
        var stored = rows.Select(r => (r.ContactId, r.Label)).ToHashSet();
        foreach (var id in contactIds)
        {
            foreach (var (slug, _) in TriageLabels.All)
            {
                if (!stored.Contains((id, slug)))
                {
                    rows.Add(new LabelRow { ContactId = id, Label = slug, Bucket = TriageLabels.Unlikely, Score = "0", Reasons = "[]", Applies = 0 });
                }
            }
        }
        return rows;
    }

    private const string CorrespondentSelect = """
        SELECT r.correspondent_id AS CorrespondentId, r.office_id AS OfficeId, r.display_name AS DisplayName, r.merged_into AS MergedInto,
               r.created_reason AS CreatedReason, r.created_at AS CreatedAt, r.asked_to_stop_on AS AskedToStopOn, r.asked_how AS AskedHow,
               (SELECT COUNT(*) FROM harassment_contacts c WHERE c.correspondent_id = r.correspondent_id) AS ContactCount,
               (SELECT MIN(c.received_at) FROM harassment_contacts c WHERE c.correspondent_id = r.correspondent_id) AS FirstReceived,
               (SELECT MAX(c.received_at) FROM harassment_contacts c WHERE c.correspondent_id = r.correspondent_id) AS LastReceived,
               COALESCE((SELECT string_agg(DISTINCT c.sender_email, ',') FROM harassment_contacts c WHERE c.correspondent_id = r.correspondent_id AND c.sender_email IS NOT NULL), '') AS Addresses,
               COALESCE((SELECT string_agg(DISTINCT l.label, ',') FROM harassment_labels l JOIN harassment_contacts c ON c.contact_id = l.contact_id
                         WHERE c.correspondent_id = r.correspondent_id AND l.applies = 1), '') AS Labels
        FROM harassment_correspondents r
        """;

    /// <summary>The office's correspondents (merged ones are folded into the one they were merged into), most recent contact first.</summary>
    public async Task<IReadOnlyList<CorrespondentRow>> CorrespondentsAsync(string officeId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<CorrespondentRow>(new CommandDefinition(
            Agg(CorrespondentSelect + " WHERE r.office_id = @office AND r.merged_into IS NULL"), new { office = officeId }, cancellationToken: ct));
        return [.. rows.Where(r => r.ContactCount > 0).OrderByDescending(r => r.LastReceived, StringComparer.Ordinal)];
    }

    public async Task<CorrespondentRow?> FindCorrespondentAsync(string officeId, string correspondentId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<CorrespondentRow>(new CommandDefinition(
            Agg(CorrespondentSelect + " WHERE r.office_id = @office AND r.correspondent_id = @id"), new { office = officeId, id = correspondentId }, cancellationToken: ct));
    }

    /// <summary>Correspondents the office asked to stop, and when.</summary>
    public async Task<IReadOnlyDictionary<string, (DateTimeOffset On, string? How)>> StopRequestsAsync(string officeId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Id, string On, string? How)>(new CommandDefinition(
            "SELECT correspondent_id, asked_to_stop_on, asked_how FROM harassment_correspondents WHERE office_id = @office AND asked_to_stop_on IS NOT NULL",
            new { office = officeId }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Id, r => (DateTimeOffset.Parse(r.On, System.Globalization.CultureInfo.InvariantCulture), r.How), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<RegroupingRow>> RegroupingsAsync(string officeId, string correspondentId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<RegroupingRow>(new CommandDefinition(
            """
            SELECT regrouping_id AS RegroupingId, kind AS Kind, from_id AS FromId, to_id AS ToId, contact_ids AS ContactIds, reason AS Reason,
                   recorded_at AS RecordedAt, recorded_by AS RecordedBy, undone AS Undone
            FROM harassment_regroupings WHERE office_id = @office AND (from_id = @id OR to_id = @id) ORDER BY recorded_at DESC
            """, new { office = officeId, id = correspondentId }, cancellationToken: ct))];
    }

    public async Task<RegroupingRow?> FindRegroupingAsync(string officeId, string id, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<RegroupingRow>(new CommandDefinition(
            """
            SELECT regrouping_id AS RegroupingId, kind AS Kind, from_id AS FromId, to_id AS ToId, contact_ids AS ContactIds, reason AS Reason,
                   recorded_at AS RecordedAt, recorded_by AS RecordedBy, undone AS Undone
            FROM harassment_regroupings WHERE office_id = @office AND regrouping_id = @id
            """, new { office = officeId, id }, cancellationToken: ct));
    }

    private const string ReportSelect = """
        SELECT report_id AS ReportId, office_id AS OfficeId, police_agency_id AS PoliceAgencyId, correspondent_id AS CorrespondentId,
               correspondent_name AS CorrespondentName, contact_count AS ContactCount, summary AS Summary, pack_sha256 AS PackSha256,
               zip_sha256 AS ZipSha256, manifest_sha256 AS ManifestSha256, status AS Status, status_note AS StatusNote, sent_at AS SentAt, updated_at AS UpdatedAt
        FROM harassment_reports
        """;

    /// <summary>Reports an office sent, or (with <paramref name="asPolice"/>) reports a police agency received.</summary>
    public async Task<IReadOnlyList<ReportRow>> ReportsAsync(string agencyId, bool asPolice = false, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<ReportRow>(new CommandDefinition(
            ReportSelect + (asPolice ? " WHERE police_agency_id = @agency" : " WHERE office_id = @agency") + " ORDER BY sent_at DESC",
            new { agency = agencyId }, cancellationToken: ct))];
    }

    public async Task<ReportRow?> FindReportAsync(string reportId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<ReportRow>(new CommandDefinition(ReportSelect + " WHERE report_id = @id", new { id = reportId }, cancellationToken: ct));
    }

    /// <summary>No-contact instructions that protect the office.</summary>
    public async Task<IReadOnlyList<InstructionRow>> InstructionsProtectingAsync(string officeId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<InstructionRow>(new CommandDefinition(
            """
            SELECT instruction_id AS InstructionId, case_id AS CaseId, police_agency_id AS PoliceAgencyId, officer_email AS OfficerEmail,
                   officer_name AS OfficerName, issued_on AS IssuedOn, suspect AS Suspect, statutory_order AS StatutoryOrder, ends_on AS EndsOn
            FROM no_contact_instructions WHERE protected_agencies LIKE @office
            """, new { office = $"%,{officeId},%" }, cancellationToken: ct))];
    }

    public async Task<IReadOnlyList<AlertRow>> AlertsAsync(string policeAgencyId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<AlertRow>(new CommandDefinition(
            """
            SELECT alert_id AS AlertId, instruction_id AS InstructionId, case_id AS CaseId, officer_email AS OfficerEmail, office_id AS OfficeId,
                   contact_id AS ContactId, received_at AS ReceivedAt, breach AS Breach, explanation AS Explanation, raised_at AS RaisedAt
            FROM further_contact_alerts WHERE police_agency_id = @agency ORDER BY raised_at DESC
            """, new { agency = policeAgencyId }, cancellationToken: ct))];
    }
}
