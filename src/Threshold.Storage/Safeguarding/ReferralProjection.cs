using System.Globalization;
using Threshold.Domain.Calendar;
using Threshold.Domain.Safeguarding;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;

namespace Threshold.Storage.Safeguarding;

/// <summary>
/// The front door's read model: one row per referral (status, clocks, decision, finding, restriction)
/// for the work lists and figures, and one row per person named in it for finding previous referrals
/// of the same child and family. Instants are stored as UTC round-trip text so they sort.
/// </summary>
public sealed class ReferralProjection : IProjection
{
    public string Name => "safeguarding-referrals";

    public int Version => 2;

    public IReadOnlyList<string> Schema { get; } =
    [
        """
        CREATE TABLE IF NOT EXISTS sg_referrals (
            referral_id TEXT PRIMARY KEY,
            agency_id TEXT NOT NULL,
            reference TEXT NOT NULL,
            door TEXT NOT NULL,
            referring_agency TEXT,
            received_at TEXT NOT NULL,
            received_week TEXT NOT NULL,
            triage_due_by TEXT NOT NULL,
            status TEXT NOT NULL,
            decision TEXT,
            decided_at TEXT,
            within_time INTEGER,
            immediate_danger INTEGER NOT NULL,
            children TEXT NOT NULL,
            restricted INTEGER NOT NULL,
            annotation TEXT,
            finding TEXT,
            finding_awaiting INTEGER NOT NULL,
            strategy_decision TEXT,
            s47_outcome TEXT,
            assessment_due_by TEXT,
            conference_due_by TEXT,
            nation TEXT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS sg_referrals_queue ON sg_referrals (agency_id, status, triage_due_by)",
        "CREATE INDEX IF NOT EXISTS sg_referrals_awaiting ON sg_referrals (agency_id, finding_awaiting)",
        "CREATE INDEX IF NOT EXISTS sg_referrals_week ON sg_referrals (agency_id, received_week)",
        """
        CREATE TABLE IF NOT EXISTS sg_referral_people (
            referral_id TEXT NOT NULL,
            agency_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            role TEXT NOT NULL,
            given_name TEXT,
            family_name TEXT,
            family_key TEXT,
            date_of_birth TEXT,
            postcode_key TEXT,
            email TEXT,
            phone TEXT,
            line1 TEXT,
            town TEXT,
            PRIMARY KEY (referral_id, position))
        """,
        "CREATE INDEX IF NOT EXISTS sg_people_family ON sg_referral_people (agency_id, family_key)",
        "CREATE INDEX IF NOT EXISTS sg_people_dob ON sg_referral_people (agency_id, date_of_birth)",
        "CREATE INDEX IF NOT EXISTS sg_people_postcode ON sg_referral_people (agency_id, postcode_key)",
        """
        CREATE TABLE IF NOT EXISTS sg_agency_notices (
            notice_id TEXT PRIMARY KEY,
            agency_id TEXT NOT NULL,
            council_name TEXT NOT NULL,
            referral_reference TEXT NOT NULL,
            text TEXT NOT NULL,
            received_at TEXT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS sg_agency_notices_agency ON sg_agency_notices (agency_id, received_at)",
    ];

    public IReadOnlyList<string> Tables { get; } = ["sg_referrals", "sg_referral_people", "sg_agency_notices"];

    public static string Utc(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>The Monday (London time) of the week an instant falls in.</summary>
    public static string WeekOf(DateTimeOffset instant)
    {
        var day = LondonTime.DateOf(instant);
        var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        return monday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    public static string? FamilyKey(string? family) => string.IsNullOrWhiteSpace(family) ? null : family.Trim().ToLowerInvariant();

    public static string? PostcodeKey(string? postcode) => string.IsNullOrWhiteSpace(postcode) ? null : postcode.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    public async Task ApplyAsync(StoredEvent e, ProjectionWriter writer, CancellationToken ct)
    {
        if (e.Type == nameof(SafeguardingNoticeReceived) && EventSerializer.Deserialize(e) is SafeguardingNoticeReceived notice)
        {
            await writer.ExecuteAsync(
                """
                INSERT INTO sg_agency_notices (notice_id, agency_id, council_name, referral_reference, text, received_at)
                VALUES (@id, @agency, @council, @reference, @text, @at)
                ON CONFLICT (notice_id) DO NOTHING
                """, ct,
                ("id", notice.NoticeId), ("agency", e.AgencyId), ("council", notice.CouncilName), ("reference", notice.ReferralReference), ("text", notice.Text), ("at", Utc(notice.At)));
            return;
        }
        if (!e.StreamId.StartsWith("referral:", StringComparison.Ordinal))
        {
            return;
        }
        var id = e.StreamId["referral:".Length..];
        switch (EventSerializer.Deserialize(e))
        {
            case ReferralReceived r:
                await writer.ExecuteAsync(
                    """
                    INSERT INTO sg_referrals (referral_id, agency_id, reference, door, referring_agency, received_at, received_week, triage_due_by,
                        status, immediate_danger, children, restricted, finding_awaiting, nation)
                    VALUES (@id, @agency, @reference, @door, @referring, @received, @week, @due, @status, @danger, @children, 0, 0, @nation)
                    """, ct,
                    ("id", id), ("agency", e.AgencyId), ("reference", r.Reference), ("door", r.Door), ("referring", r.Referrer.AgencyId),
                    ("received", Utc(r.ReceivedAt)), ("week", WeekOf(r.ReceivedAt)), ("due", Utc(r.TriageDueBy)),
                    ("status", nameof(ReferralStatus.Received)), ("danger", r.ImmediateDanger ? 1 : 0),
                    ("children", string.Join("; ", r.Children.Select(c => c.DateOfBirth is null ? c.DisplayName : $"{c.DisplayName} ({c.DateOfBirth})"))),
                    ("nation", r.Nation));
                var position = 0;
                foreach (var (role, person) in r.Children.Select(c => ("child", c))
                    .Concat(r.Carers.Select(c => (c.Role, c.Person)))
                    .Concat(r.Referrer.Person is { } p ? [("referrer", p)] : Array.Empty<(string, PersonDetails)>()))
                {
                    await writer.ExecuteAsync(
                        """
                        INSERT INTO sg_referral_people (referral_id, agency_id, position, role, given_name, family_name, family_key, date_of_birth, postcode_key, email, phone, line1, town)
                        VALUES (@id, @agency, @position, @role, @given, @family, @familyKey, @dob, @postcode, @email, @phone, @line1, @town)
                        """, ct,
                        ("id", id), ("agency", e.AgencyId), ("position", position++), ("role", role), ("given", person.GivenName), ("family", person.FamilyName),
                        ("familyKey", FamilyKey(person.FamilyName)), ("dob", person.DateOfBirth), ("postcode", PostcodeKey(person.Address?.Postcode)),
                        ("email", person.Email), ("phone", person.Phone), ("line1", person.Address?.Line1), ("town", person.Address?.Town));
                }
                break;
            case ReferralTriaged t:
                var procedures = Procedures.For((await NationAsync(writer, id, ct)) ?? Procedures.DefaultNation);
                await writer.ExecuteAsync(
                    "UPDATE sg_referrals SET status = @status, decision = @decision, decided_at = @at, within_time = @within, assessment_due_by = @assessment WHERE referral_id = @id", ct,
                    ("status", Status(procedures.TriageDecision(t.Decision).Route)), ("decision", t.Decision), ("at", Utc(t.DecidedAt)),
                    ("within", t.WithinTime ? 1 : 0), ("assessment", t.AssessmentDueBy is { } a ? Utc(a) : null), ("id", id));
                break;
            case StrategyDiscussionHeld s:
                var p2 = Procedures.For((await NationAsync(writer, id, ct)) ?? Procedures.DefaultNation);
                await writer.ExecuteAsync("UPDATE sg_referrals SET status = @status, strategy_decision = @decision WHERE referral_id = @id", ct,
                    ("status", Status(p2.StrategyDecision(s.Decision).Route)), ("decision", s.Decision), ("id", id));
                break;
            case Section47OutcomeRecorded o:
                var p3 = Procedures.For((await NationAsync(writer, id, ct)) ?? Procedures.DefaultNation);
                await writer.ExecuteAsync("UPDATE sg_referrals SET status = @status, s47_outcome = @outcome, conference_due_by = @conference WHERE referral_id = @id", ct,
                    ("status", Status(p3.Section47Outcome(o.Outcome).Route)), ("outcome", o.Outcome),
                    ("conference", o.InitialConferenceDueBy is { } c ? Utc(c) : null), ("id", id));
                break;
            case AllegationFindingRecorded f:
                await writer.ExecuteAsync("UPDATE sg_referrals SET finding = @finding, finding_awaiting = @awaiting WHERE referral_id = @id", ct,
                    ("finding", f.Finding), ("awaiting", f.AwaitingManagerConfirmation ? 1 : 0), ("id", id));
                break;
            case MaliciousFindingConfirmed:
                await writer.ExecuteAsync("UPDATE sg_referrals SET finding_awaiting = 0 WHERE referral_id = @id", ct, ("id", id));
                break;
            case ReferralAnnotated note:
                await writer.ExecuteAsync("UPDATE sg_referrals SET annotation = @text WHERE referral_id = @id", ct, ("text", note.Text), ("id", id));
                break;
            case ReferralRestricted:
                await writer.ExecuteAsync("UPDATE sg_referrals SET restricted = 1 WHERE referral_id = @id", ct, ("id", id));
                break;
            default:
                break;
        }
    }

    private static async Task<string?> NationAsync(ProjectionWriter writer, string id, CancellationToken ct)
    {
        await using var command = writer.Command("SELECT nation FROM sg_referrals WHERE referral_id = @id", ("id", id));
        return await command.ExecuteScalarAsync(ct) as string;
    }

    private static string Status(Route route) => route switch
    {
        Route.Closed => nameof(ReferralStatus.Closed),
        Route.EarlyHelp => nameof(ReferralStatus.EarlyHelp),
        Route.Assessment => nameof(ReferralStatus.Assessment),
        Route.StrategyDiscussion => nameof(ReferralStatus.AwaitingStrategyDiscussion),
        Route.Section47 => nameof(ReferralStatus.Section47Enquiry),
        Route.Conference => nameof(ReferralStatus.ConferenceDue),
        _ => throw new ArgumentOutOfRangeException(nameof(route)),
    };
}
