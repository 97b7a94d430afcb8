using Threshold.Domain;
using Threshold.Domain.Calendar;
using Threshold.Domain.Safeguarding;

namespace Threshold.Safeguarding;

/// <summary>Test data with safe defaults (all names fictional): a police referral about one child.</summary>
public static class ReferralBuilder
{
    public static readonly DateTimeOffset Monday = DateTimeOffset.Parse("2026-02-09T10:00:00+00:00", System.Globalization.CultureInfo.InvariantCulture);

    public static PersonDetails Child(string given = "Ellie", string family = "Morgan", string? dob = "2016-05-14") =>
        new(given, family, dob, null, null, new PostalAddress("12 Quayside Row", "Riverside", "RV1 2AB"));

    public static ReferralSubmission Submission(
        IReadOnlyList<PersonDetails>? children = null,
        string concern = "The caller said the children are at direct risk.",
        bool anonymous = false,
        string source = "second-hand",
        bool immediateDanger = false,
        string door = ReferralDoors.Agency,
        string? nation = null) =>
        new("riverside-council",
            children ?? [Child()],
            [new CarerDetails(new PersonDetails("Alex", "Morgan", "1984-03-02", null, null, null), "mother")],
            new ReferrerDetails(anonymous, anonymous ? null : new PersonDetails("Sam", "Hale", null, "investigator@harbourside-police.example", null, null),
                "investigating officer", source, "harbourside-police", "Harbourside Police"),
            concern, immediateDanger, door, nation);

    public static ReferralReceived Received(ReferralSubmission? submission = null, DateTimeOffset? at = null) =>
        ReferralIntake.Receive(submission ?? Submission(), "0f3c2a9e5b7d4c1a8e6f2b3c4d5e6f70", at ?? Monday, WorkingDayCalendar.EnglandAndWales);

    public static Referral Referral(params IEvent[] after) => Domain.Safeguarding.Referral.From([Received(), .. after]);

    public static ReferralTriaged Triaged(string decision = "strategy-discussion") =>
        Referral().DecideTriage(decision, "Reasonable cause to suspect significant harm.", "user:triage", Monday.AddHours(3), WorkingDayCalendar.EnglandAndWales);

    public static StrategyDiscussionHeld Strategy(string decision = "section-47") =>
        Referral(Triaged()).RecordStrategyDiscussion(new DateOnly(2026, 2, 10), "Ruth Castell",
            [new("Ruth Castell", "Riverside Borough Council", "chair"), new("DC Sam Hale", "Harbourside Police", "investigator"), new("Dr Imogen Vale", "Riverside Health", "named doctor")],
            "Police disclosure; school attendance; health visitor notes.", decision, "Threshold for s.47 met on the referral as made.", "user:manager", Monday.AddDays(2));
}
