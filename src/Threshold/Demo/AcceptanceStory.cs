using System.Globalization;
using MimeKit;
using Threshold.Access;
using Threshold.Domain;
using Threshold.Domain.Calendar;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;
using Threshold.Harassment.Intake;
using Threshold.Harassment.Reports;
using Threshold.Mail.Import;
using Threshold.Policing;
using Threshold.Safeguarding;
using Threshold.Storage.Administration;

namespace Threshold.Demo;

/// <summary>A clock the story moves forward by hand (days pass between its steps); everything else reads it.</summary>
public sealed class StoryClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Start { get; } = start;

    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    /// <summary>Moves to <paramref name="days"/> after the start, at the given London time.</summary>
    public void Day(int days, int hour, int minute = 0) =>
        Now = LondonTime.At(LondonTime.DateOf(Start).AddDays(days), new TimeOnly(hour, minute));
}

/// <summary>
/// The acceptance scenario of DESIGN.md, played through the application services the web uses
/// (the same service provider, the same rules, the same ledger): the MP's office logs and reports
/// the e-mails, police open the case and pass on the man's "concern", the council triages it with
/// the integrity signal in view, finds it malicious and tells the family; police dispose of the case
/// with a no-contact condition; the man writes again and the office sees it flagged. Every step is
/// done as one of the demo users, with the clock moved on between steps.
/// </summary>
public sealed class AcceptanceStory(IServiceProvider services, StoryClock clock)
{
    public const string Sender = "Gary Thornbury <g.thornbury@example.net>";

    private static readonly PersonDetails Mp = new("Alex", "Morgan", "1984-02-11", "alex.morgan@alex-morgan-mp.example", "07700 900111",
        new PostalAddress("1 Quay Street", "Harbourside", "RV1 2AB"));

    private static readonly PersonDetails Him = new("Gary", "Thornbury", "1979-04-02", "g.thornbury@example.net", "07700 900999",
        new PostalAddress("14 Ropewalk", "Harbourside", "RV4 7TT"));

    private static readonly PersonDetails Ellie = new("Ellie", "Morgan", "2016-05-14", null, null, Mp.Address);

    private static readonly PersonDetails Sam = new("Sam", "Morgan", "2019-09-03", null, null, Mp.Address);

    /// <summary>What the story made, for the caller to print or check.</summary>
    public sealed record Outcome(string CorrespondentId, string ReportId, string CaseId, string CaseReference, string ReferralId, string ReferralReference,
        IReadOnlyList<IntegritySignal> Signals, IReadOnlyList<string> FurtherContactFlags);

    public async Task<Outcome> PlayAsync(CancellationToken ct)
    {
        var caseworker = await UserAsync("caseworker@alex-morgan-mp.example", ct);
        var investigator = await UserAsync("investigator@harbourside-police.example", ct);
        var supervisor = await UserAsync("supervisor@harbourside-police.example", ct);
        var triage = await UserAsync("triage-worker@riverside-council.example", ct);
        var socialWorker = await UserAsync("social-worker@riverside-council.example", ct);
        var manager = await UserAsync("manager@riverside-council.example", ct);

        // 1. The office imports a run of angry e-mails from one man.
        var log = services.GetRequiredService<HarassmentLog>();
        string? correspondent = null;
        var mails = new (int Day, string Subject, string Body)[]
        {
            (0, "Your so-called campaign", "Ms Morgan, your campaign is a disgrace and so are you. Everyone in this town can see what you are."),
            (2, "Still waiting", "You ignored me again. You are a useless liar and I will keep writing until you answer me."),
            (5, "You have been warned", "People like you should be driven out of Harbourside. I know where your office is and I know your routine."),
            (6, "Your children", "While you swan about on your campaign your children are at direct risk. Somebody should take those kids off you before it is too late."),
        };
        clock.Day(7, 9, 15); // the caseworker imports the week's e-mails on Monday morning
        await using (var intake = await log.OpenIntakeAsync(caseworker.AgencyId, caseworker.Actor, ct))
        {
            foreach (var (day, subject, body) in mails)
            {
                var result = await intake.AddMessageAsync(Message(subject, body, LondonTime.At(LondonTime.DateOf(clock.Start).AddDays(day), new TimeOnly(21, 40))), ct);
                correspondent ??= result.CorrespondentId;
            }
            await intake.CompleteAsync("demo: e-mails to the office", ct);
        }

        // 2. The office reports the correspondent to Harbourside Police with the evidence pack.
        clock.Day(7, 10);
        var (reportId, _) = await services.GetRequiredService<PoliceReports>().SendAsync(caseworker.AgencyId, caseworker.AgencyName, correspondent!, investigator.AgencyId,
            null, null, "Four abusive e-mails in a week to Alex Morgan MP about her campaign work, one naming her children.", caseworker.Actor, ct);

        // 3. Police open the case from the report; the investigator is officer in the case.
        clock.Day(8, 9, 30);
        var cases = services.GetRequiredService<PoliceCaseService>();
        var opened = (await cases.OpenFromReportAsync(investigator, reportId, new CrimeReportSubmission(Mp, [Him], [Ellie, Sam], "harassment",
            "Four abusive e-mails to the MP's office in a week; reported by the office with its evidence pack.", false), ct))!;

        // 4. He rings police: the MP's children are "at direct risk". Police must pass it on to the council.
        clock.Day(9, 11);
        var referred = (await services.GetRequiredService<ChildConcernReferrals>().ReferAsync(investigator, opened.Id, null, new ChildConcern(
            [Ellie, Sam], [new CarerDetails(Mp with { Email = null, Phone = null, DateOfBirth = null }, "mother")],
            new ReferrerDetails(false, Him with { DateOfBirth = null, Address = null, Email = null }, "none: says he is a constituent", "unknown", null, null),
            "Mr Thornbury rang the force and said that Alex Morgan MP's children are 'at direct risk' while she campaigns, and that somebody should take them off her.",
            false, "riverside-council"), ct))!.Value;
        var referrals = services.GetRequiredService<ReferralService>();

        // 5. The council's triage worker decides within the working day, with the integrity signal in view.
        clock.Day(9, 15);
        await StepAsync(referrals, triage, referred.Referral.ReferralId, (r, now) => r.DecideTriage("strategy-discussion",
            "An allegation that the children are at risk must be considered on its merits; the integrity check shows the referrer is the suspect in a police harassment case against the mother: discuss with police.",
            triage.Actor, now, ReferralService.Calendar), ct);

        // 6. The strategy discussion and the finding; a manager confirms it; annotation, restriction and the family's letter.
        clock.Day(10, 14);
        await StepAsync(referrals, manager, referred.Referral.ReferralId, (r, now) => r.RecordStrategyDiscussion(LondonTime.DateOf(now), "Ruth Castell",
            [new MeetingAttendee("Ruth Castell", "Riverside Borough Council children's services", "Team manager (chair)"),
             new MeetingAttendee("DC Sam Hale", "Harbourside Police", "Officer in the case"),
             new MeetingAttendee("Jan Ollerton", "Riverside Community Health", "Health visitor")],
            "School: both children well cared for, attendance good. Health visitor: no concerns. Police: the referrer is the suspect in a harassment case against the mother.",
            "no-further-action", "No reasonable cause to suspect significant harm; the allegation was made to harass the mother.", manager.Actor, now), ct);
        await StepAsync(referrals, socialWorker, referred.Referral.ReferralId, (r, _) => r.RecordFinding("malicious",
            "No evidence supports the allegation; the referrer made it during a course of harassment of the mother.", socialWorker.Actor), ct);
        clock.Day(10, 16);
        await StepAsync(referrals, manager, referred.Referral.ReferralId, (r, _) => r.ConfirmMaliciousFinding(manager.Actor, true, "Agreed at the strategy discussion."), ct);
        await StepAsync(referrals, manager, referred.Referral.ReferralId, (r, now) => r.Annotate(
            "Allegation found malicious (confirmed). Kept for the retention period as the law requires; do not act on it.", manager.Actor, true, now), ct);
        clock.Day(11, 10);
        var loaded = (await referrals.LoadForChangeAsync(socialWorker, referred.Referral.ReferralId, "family letter", ReadChannel.Page, ct))!;
        await services.GetRequiredService<FamilyLetters>().SendAsync(loaded, socialWorker, "Alex Morgan", null, ct);
        // The MP's office learns only what the council decides it may.
        var forNotice = (await referrals.LoadForChangeAsync(manager, referred.Referral.ReferralId, "tell the MP's office", ReadChannel.Page, ct))!;
        await referrals.TellAgencyAsync(forNotice, manager, caseworker.AgencyId,
            "Children's services considered a concern about Alex Morgan MP's family that was passed to them, found no cause for concern and are taking no further action.", null, ct);
        await StepAsync(referrals, manager, referred.Referral.ReferralId, (r, now) => r.Restrict(
            "Malicious allegation about an MP's family: content readable only by the records officer and auditors.", manager.Actor, true, now), ct);

        // 7. Police investigate and dispose: admission, victim's views, a community resolution with a no-contact condition, authorised.
        clock.Day(12, 10);
        await cases.RecordOffenceDecisionAsync(investigator, opened.Id, null, "harassment", "crime-recorded",
            "Four e-mails in a week to one person after being ignored: a course of conduct the sender must have known amounted to harassment.", ct);
        clock.Day(13, 14);
        await cases.RecordSuspectAccountAsync(investigator, opened.Id, null, 0, LondonTime.DateOf(clock.Now), "voluntary-attendance", "admitted",
            "Admits sending all four e-mails and apologises; says he was angry about the campaign.", ct);
        clock.Day(14, 11);
        await cases.RecordVictimViewsAsync(investigator, opened.Id, null, LondonTime.DateOf(clock.Now), "by phone",
            "Wants the contact to stop; content with a community resolution if he is told not to contact her or her family.", ct);
        clock.Day(14, 15);
        await cases.ProposeDisposalAsync(investigator, opened.Id, null, 0, "community-resolution", null,
            ["Not to contact Alex Morgan, her family or her office directly or indirectly"], true,
            "Admitted, first offence, the threshold for a charge is not met, and the victim is content.", ct);
        clock.Day(15, 9);
        await cases.AuthoriseDisposalAsync(supervisor, opened.Id, null, "Proportionate: admitted, no previous, victim consulted.", ct);
        await cases.IssueNoContactInstructionAsync(investigator, opened.Id, null, LondonTime.DateOf(clock.Now), ct: ct);
        clock.Day(15, 12);
        await cases.InformVictimAsync(investigator, opened.Id, null, LondonTime.DateOf(clock.Now), "by phone",
            "Community resolution with a no-contact condition; any further contact to be reported.", null, ct);

        // 8. He writes again: the office's import flags it.
        clock.Day(20, 22, 5);
        IReadOnlyList<string> flags;
        await using (var intake = await log.OpenIntakeAsync(caseworker.AgencyId, caseworker.Actor, ct))
        {
            var again = await intake.AddMessageAsync(Message("You can't silence me", "The police can't stop me telling people what you are.", clock.Now), ct);
            flags = again.Flags ?? [];
            await intake.CompleteAsync("demo: a further e-mail", ct);
        }

        var final = (await referrals.LoadAsync(triage, referred.Referral.ReferralId, ReadChannel.Page, "demo summary", ct))!;
        var signals = final.Events.Select(Storage.Events.EventSerializer.Deserialize).OfType<ReferralIntegrityChecked>().First().Signals;
        return new Outcome(correspondent!, reportId, opened.Id, opened.Case.Opened.Reference, referred.Referral.ReferralId, referred.Referral.Reference, signals, flags);
    }

    private static IncomingMessage Message(string subject, string body, DateTimeOffset sent)
    {
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(Sender));
        message.To.Add(MailboxAddress.Parse("Office of Alex Morgan MP <office@alex-morgan-mp.example>"));
        message.Subject = subject;
        message.Date = sent;
        message.MessageId = $"{Guid.NewGuid():n}@example.net";
        message.Body = new TextPart("plain") { Text = body };
        using var bytes = new MemoryStream();
        message.WriteTo(bytes);
        return MailSource.FromBytes(bytes.ToArray(), $"{subject}.eml");
    }

    private async Task StepAsync(ReferralService referrals, CurrentUser user, string referralId, Func<Referral, DateTimeOffset, IEvent> step, CancellationToken ct)
    {
        var loaded = (await referrals.LoadForChangeAsync(user, referralId, "demo step", ReadChannel.Page, ct))!;
        await referrals.AppendAsync(loaded, user, null, ct, step(loaded.Referral, clock.Now));
    }

    private async Task<CurrentUser> UserAsync(string email, CancellationToken ct)
    {
        var admin = services.GetRequiredService<AdministrationQueries>();
        var user = await admin.FindUserByEmailAsync(email, ct)
            ?? throw new DomainRuleException("DemoNeedsDemoUsers", $"The demo user {email} is not in this store: run `threshold demo` on an empty --data folder (or one `serve --demo` seeded).");
        var agency = (await admin.FindAgencyAsync(user.AgencyId, ct))!;
        return new CurrentUser(user.UserId, user.Email, user.DisplayName, agency.AgencyId, agency.Name, agency.Kind, agency.Colour,
            user.RoleList) { Door = ReadChannel.Page };
    }

    /// <summary>The story's start: three weeks before <paramref name="now"/>, on a Monday.</summary>
    public static DateTimeOffset StartBefore(DateTimeOffset now)
    {
        var day = LondonTime.DateOf(now).AddDays(-21);
        while (day.DayOfWeek != DayOfWeek.Monday)
        {
            day = day.AddDays(-1);
        }
        return LondonTime.At(day, new TimeOnly(9, 0));
    }

    internal static string When(DateTimeOffset t) => LondonTime.ToLocal(t).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture);
}
