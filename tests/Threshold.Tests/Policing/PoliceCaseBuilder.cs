using Threshold.Domain;
using Threshold.Domain.Calendar;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;

namespace Threshold.Policing;

/// <summary>Builds police cases from events with safe, fictional defaults; each step can be overridden.</summary>
public static class PoliceCaseBuilder
{
    public const string Investigator = "user:investigator@harbourside-police.example";
    public const string Supervisor = "user:supervisor@harbourside-police.example";
    public static readonly DateTimeOffset Now = new(2026, 3, 20, 10, 0, 0, TimeSpan.Zero);
    public static DateOnly Today => LondonTime.DateOf(Now);

    public static readonly OffenceCatalogue Offences = OffenceCatalogue.Default;
    public static readonly DisposalCatalogue Disposals = DisposalCatalogue.Default;
    public static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.EnglandAndWales;

    public static PersonDetails Victim => new("Alex", "Morgan", "1984-02-11", "alex.morgan@alex-morgan-mp.example", "07700 900111", new PostalAddress("1 Quay Street", "Harbourside", "HS1 1AA"));

    public static PersonDetails Suspect => new("Gary", "Thornbury", "1979-04-02", "g.thornbury@example.net", "07700 900999", null);

    public static PersonDetails Child => new("Ellie", "Morgan", "2016-05-14", null, null, new PostalAddress("1 Quay Street", "Harbourside", "RV1 2AB"));

    public static PoliceCaseOpened Opened(bool domesticAbuse = false, CrimeReportLink? report = null) =>
        PoliceCaseRules.Open(new CrimeReportSubmission(Victim, [Suspect], [Child], "harassment", "Abusive e-mails to the office.", domesticAbuse, report),
            "case0001", "harbourside-police", "investigator@harbourside-police.example", "DC Sam Hale", Now.AddDays(-10), Offences, Disposals);

    public static IncidentRecorded Incident(int day, string channel = "email", bool againstVictim = true) =>
        new($"inc-{day}", new DateTimeOffset(2026, 3, day, 9, 0, 0, TimeSpan.Zero), channel, $"contact:c{day}", "An abusive e-mail.", againstVictim, null);

    public static InvestigationStarted Started => new("investigator@harbourside-police.example", "DC Sam Hale", Now.AddDays(-9));

    public static OffenceDecisionRecorded Decided => new("pha-1997-s2", "crime-recorded", "Course of conduct shown.", Investigator, Now.AddDays(-2), Offences.Version, [], []);

    public static SuspectAccountRecorded Account(string account = "admitted") => new(0, Today.AddDays(-3), "voluntary-attendance", account, "Apologised.", Investigator);

    public static VictimViewsRecorded Views => new(Today.AddDays(-2), "by phone", "Wants him to stop; content with a community resolution.", Investigator);

    public static DisposalProposed Proposed(string disposal = "community-resolution", string by = Investigator) =>
        new("prop-1", 0, disposal, "current", null, ["Do not contact Alex Morgan or her family"], true, "Admitted; first offence.", by, Now.AddDays(-1), Disposals.Version);

    public static DisposalAuthorised Authorised => new("prop-1", Supervisor, "Proportionate.", Now, Today.AddDays(5));

    /// <summary>A case investigated up to the point of proposing: three e-mails over nine days, an admission, the victim's views and the offence decision.</summary>
    public static IEvent[] ReadyToPropose() => [Opened(), Started, Incident(1), Incident(5), Incident(9), Account(), Views, Decided];

    public static PoliceCase Case(params IEvent[] events) => PoliceCase.From(events.Length == 0 ? [Opened()] : events);

    public static PoliceCase Case(IEnumerable<IEvent> first, params IEvent[] more) => PoliceCase.From([.. first, .. more]);
}
