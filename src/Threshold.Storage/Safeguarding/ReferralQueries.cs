using Dapper;
using Threshold.Domain.Safeguarding;

namespace Threshold.Storage.Safeguarding;

public sealed class ReferralRow
{
    public string ReferralId { get; set; } = "";
    public string AgencyId { get; set; } = "";
    public string Reference { get; set; } = "";
    public string Door { get; set; } = "";
    public string? ReferringAgency { get; set; }
    public string ReceivedAt { get; set; } = "";
    public string TriageDueBy { get; set; } = "";
    public string Status { get; set; } = "";
    public string? Decision { get; set; }
    public string? DecidedAt { get; set; }
    public long? WithinTime { get; set; }
    public long ImmediateDanger { get; set; }
    public string Children { get; set; } = "";
    public long Restricted { get; set; }
    public string? Annotation { get; set; }
    public string? Finding { get; set; }
    public long FindingAwaiting { get; set; }
    public string? StrategyDecision { get; set; }
    public string? S47Outcome { get; set; }
    public string? AssessmentDueBy { get; set; }
    public string? ConferenceDueBy { get; set; }
    public string Nation { get; set; } = "";

    public DateTimeOffset TriageDue => DateTimeOffset.Parse(TriageDueBy, System.Globalization.CultureInfo.InvariantCulture);

    public DateTimeOffset Received => DateTimeOffset.Parse(ReceivedAt, System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class ReferralPersonRow
{
    public string ReferralId { get; set; } = "";
    public long Position { get; set; }
    public string Role { get; set; } = "";
    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public string? DateOfBirth { get; set; }
    public string? PostcodeKey { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Line1 { get; set; }
    public string? Town { get; set; }
}

/// <summary>What a council told this agency about one of its referrals.</summary>
public sealed class AgencyNoticeRow
{
    public string NoticeId { get; set; } = "";
    public string CouncilName { get; set; } = "";
    public string ReferralReference { get; set; } = "";
    public string Text { get; set; } = "";
    public string ReceivedAt { get; set; } = "";
}

/// <summary>The work lists a front door needs.</summary>
public enum WorkList
{
    New,
    DueToday,
    Overdue,
    AwaitingPanel,
    AwaitingManagerConfirmation,
}

public sealed class WeekFigure
{
    public string Week { get; set; } = "";
    public long Referrals { get; set; }
    public long Decided { get; set; }
    public long DecidedInTime { get; set; }
}

public sealed class OutcomeFigure
{
    public string Decision { get; set; } = "";
    public long Count { get; set; }
}

/// <summary>Questions the front door asks of the referral read model. Every caller audits through the read gateway.</summary>
public sealed class ReferralQueries(ThresholdStore store)
{
    private const string Columns =
        """
        referral_id AS ReferralId, agency_id AS AgencyId, reference AS Reference, door AS Door, referring_agency AS ReferringAgency,
        received_at AS ReceivedAt, triage_due_by AS TriageDueBy, status AS Status, decision AS Decision, decided_at AS DecidedAt,
        within_time AS WithinTime, immediate_danger AS ImmediateDanger, children AS Children, restricted AS Restricted, annotation AS Annotation,
        finding AS Finding, finding_awaiting AS FindingAwaiting, strategy_decision AS StrategyDecision, s47_outcome AS S47Outcome,
        assessment_due_by AS AssessmentDueBy, conference_due_by AS ConferenceDueBy, nation AS Nation
        """;

    public async Task<ReferralRow?> FindAsync(string referralId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<ReferralRow>(new CommandDefinition(
            $"SELECT {Columns} FROM sg_referrals WHERE referral_id = @id", new { id = referralId }, cancellationToken: ct));
    }

    /// <summary>One work list, immediate danger first then the earliest deadline; at most <paramref name="limit"/> rows.</summary>
    public async Task<IReadOnlyList<ReferralRow>> ListAsync(string agencyId, WorkList list, DateTimeOffset now, DateTimeOffset endOfToday, int limit = 50, CancellationToken ct = default)
    {
        var (where, order) = Filter(list);
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<ReferralRow>(new CommandDefinition(
            $"SELECT {Columns} FROM sg_referrals WHERE agency_id = @agency AND {where} ORDER BY {order} LIMIT @limit",
            new { agency = agencyId, now = ReferralProjection.Utc(now), endOfToday = ReferralProjection.Utc(endOfToday), limit, received = nameof(ReferralStatus.Received), panel = nameof(ReferralStatus.AwaitingStrategyDiscussion) },
            cancellationToken: ct))];
    }

    public async Task<long> CountAsync(string agencyId, WorkList list, DateTimeOffset now, DateTimeOffset endOfToday, CancellationToken ct = default)
    {
        var (where, _) = Filter(list);
        await using var c = await store.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM sg_referrals WHERE agency_id = @agency AND {where}",
            new { agency = agencyId, now = ReferralProjection.Utc(now), endOfToday = ReferralProjection.Utc(endOfToday), received = nameof(ReferralStatus.Received), panel = nameof(ReferralStatus.AwaitingStrategyDiscussion) },
            cancellationToken: ct));
    }

    private static (string Where, string Order) Filter(WorkList list) => list switch
    {
        WorkList.New => ("status = @received", "immediate_danger DESC, triage_due_by, referral_id"),
        WorkList.DueToday => ("status = @received AND triage_due_by >= @now AND triage_due_by <= @endOfToday", "immediate_danger DESC, triage_due_by, referral_id"),
        WorkList.Overdue => ("status = @received AND triage_due_by < @now", "immediate_danger DESC, triage_due_by, referral_id"),
        WorkList.AwaitingPanel => ("status = @panel", "immediate_danger DESC, decided_at, referral_id"),
        WorkList.AwaitingManagerConfirmation => ("finding_awaiting = 1", "received_at, referral_id"),
        _ => throw new ArgumentOutOfRangeException(nameof(list)),
    };

    public async Task<IReadOnlyList<ReferralPersonRow>> PeopleAsync(string referralId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<ReferralPersonRow>(new CommandDefinition(
            """
            SELECT referral_id AS ReferralId, position AS Position, role AS Role, given_name AS GivenName, family_name AS FamilyName,
                   date_of_birth AS DateOfBirth, postcode_key AS PostcodeKey, email AS Email, phone AS Phone, line1 AS Line1, town AS Town
            FROM sg_referral_people WHERE referral_id = @id ORDER BY position
            """, new { id = referralId }, cancellationToken: ct))];
    }

    /// <summary>
    /// Blocking for the previous-referrals look-up: people in the agency's other referrals who share a
    /// family name, a date of birth or a postcode with one of <paramref name="people"/>. The caller scores them.
    /// </summary>
    public async Task<IReadOnlyList<ReferralPersonRow>> CandidatesAsync(string agencyId, string excludeReferralId, IReadOnlyList<ReferralPersonRow> people, int perKey = 200, CancellationToken ct = default)
    {
        var found = new Dictionary<(string, long), ReferralPersonRow>();
        await using var c = await store.OpenConnectionAsync(ct);
        foreach (var (column, value) in people.Where(p => p.Role != "referrer").SelectMany(p => new[]
            {
                ("family_key", ReferralProjection.FamilyKey(p.FamilyName)),
                ("date_of_birth", p.DateOfBirth),
                ("postcode_key", p.PostcodeKey),
            }).Where(k => k.Item2 is not null).Distinct())
        {
            var rows = await c.QueryAsync<ReferralPersonRow>(new CommandDefinition(
                $"""
                SELECT referral_id AS ReferralId, position AS Position, role AS Role, given_name AS GivenName, family_name AS FamilyName,
                       date_of_birth AS DateOfBirth, postcode_key AS PostcodeKey, email AS Email, phone AS Phone, line1 AS Line1, town AS Town
                FROM sg_referral_people WHERE agency_id = @agency AND {column} = @value AND referral_id <> @exclude AND role <> 'referrer'
                LIMIT @limit
                """, new { agency = agencyId, value, exclude = excludeReferralId, limit = perKey }, cancellationToken: ct));
            foreach (var row in rows)
            {
                found.TryAdd((row.ReferralId, row.Position), row);
            }
        }
        return [.. found.Values];
    }

    public async Task<IReadOnlyList<ReferralRow>> FindManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        await using var c = await store.OpenConnectionAsync(ct);
        var names = ids.Select((_, i) => $"@id{i}").ToList();
        var args = new DynamicParameters();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            args.Add($"id{i}", id);
        }
        return [.. await c.QueryAsync<ReferralRow>(new CommandDefinition(
            $"SELECT {Columns} FROM sg_referrals WHERE referral_id IN ({string.Join(", ", names)}) ORDER BY received_at DESC", args, cancellationToken: ct))];
    }

    /// <summary>Referrals per week and how many were decided within one working day, from the week starting <paramref name="fromWeek"/>.</summary>
    public async Task<IReadOnlyList<WeekFigure>> WeeklyAsync(string agencyId, string fromWeek, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<WeekFigure>(new CommandDefinition(
            """
            SELECT received_week AS Week, COUNT(*) AS Referrals,
                   SUM(CASE WHEN decision IS NULL THEN 0 ELSE 1 END) AS Decided,
                   SUM(CASE WHEN within_time = 1 THEN 1 ELSE 0 END) AS DecidedInTime
            FROM sg_referrals WHERE agency_id = @agency AND received_week >= @from
            GROUP BY received_week ORDER BY received_week
            """, new { agency = agencyId, from = fromWeek }, cancellationToken: ct))];
    }

    public async Task<IReadOnlyList<OutcomeFigure>> OutcomesAsync(string agencyId, string fromWeek, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<OutcomeFigure>(new CommandDefinition(
            """
            SELECT COALESCE(decision, 'awaiting-triage') AS Decision, COUNT(*) AS Count
            FROM sg_referrals WHERE agency_id = @agency AND received_week >= @from
            GROUP BY COALESCE(decision, 'awaiting-triage') ORDER BY Count DESC
            """, new { agency = agencyId, from = fromWeek }, cancellationToken: ct))];
    }

    /// <summary>The notices councils sent this agency, newest first.</summary>
    public async Task<IReadOnlyList<AgencyNoticeRow>> NoticesForAsync(string agencyId, int limit = 20, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<AgencyNoticeRow>(new CommandDefinition(
            """
            SELECT notice_id AS NoticeId, council_name AS CouncilName, referral_reference AS ReferralReference, text AS Text, received_at AS ReceivedAt
            FROM sg_agency_notices WHERE agency_id = @agency ORDER BY received_at DESC, notice_id LIMIT @limit
            """, new { agency = agencyId, limit }, cancellationToken: ct))];
    }

    /// <summary>The ids of a council's referrals that are not closed.</summary>
    public async Task<IReadOnlyList<string>> OpenReferralIdsAsync(string agencyId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<string>(new CommandDefinition(
            "SELECT referral_id FROM sg_referrals WHERE agency_id = @agency AND status <> 'Closed' ORDER BY received_at", new { agency = agencyId }, cancellationToken: ct))];
    }
}
