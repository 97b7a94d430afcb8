using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using Threshold.Browser.Tests.Infrastructure;

namespace Threshold.Browser.Tests;

/// <summary>
/// The acceptance scenario of DESIGN.md played through the web UI by the people of three agencies,
/// each signed in in a browser of their own: the MP's caseworker logs a run of e-mails from one man
/// and reports him to Harbourside Police; the investigator opens a case from the report and passes
/// on the man's claim that the MP's children are "at direct risk" to Riverside council; the council's
/// triage worker sees, before anything is decided, that the referrer is the suspect in the police
/// case against the children's mother (the referral integrity check) and still triages the concern
/// on its merits; the social worker and the manager find it malicious and tell the family; the
/// investigator sees the council's notice and what was disclosed, and disposes of the case with a
/// no-contact condition authorised by a supervisor; the man writes again and the office sees it
/// flagged. Screenshots story-01… to story-06… for the README's tour.
/// </summary>
/// <remarks>
/// The man and the address he writes from are this test's own (no other browser test uses them), so
/// the signals it asserts are not disturbed by the cases other tests open in the same app.
/// </remarks>
[Collection(BrowserCollection.Name)]
public sealed partial class StoryTests(BrowserApp app, ITestOutputHelper output)
{
    private const string Caseworker = "caseworker@alex-morgan-mp.example";
    private const string Investigator = "investigator@harbourside-police.example";
    private const string Supervisor = "supervisor@harbourside-police.example";
    private const string TriageWorker = "triage-worker@riverside-council.example";
    private const string SocialWorker = "social-worker@riverside-council.example";
    private const string Manager = "manager@riverside-council.example";

    private const string HisName = "Neil Renshaw";
    private const string HisAddress = "n.renshaw.writes@example.net";

    private static readonly (int DaysAgo, string Subject, string Body)[] Emails =
    [
        (20, "Your so-called campaign", "Ms Morgan, your campaign is a disgrace and so are you. Everyone in this town can see what you are."),
        (18, "Still waiting", "You ignored me again. You are a useless liar and I will keep writing until you answer me."),
        (15, "You have been warned", "People like you should be driven out of Harbourside. I know where your office is and I know your routine."),
        (14, "Your children", "While you swan about on your campaign your children are at direct risk. Somebody should take those kids off you before it is too late."),
    ];

    [Fact]
    public async Task Five_people_of_three_agencies_play_the_acceptance_scenario()
    {
        // 1. The office: upload the e-mails, see them under one correspondent, labelled; report him to police.
        var office = await SignedInAsync(Caseworker);
        await office.GotoAsync("/harassment");
        var now = DateTimeOffset.UtcNow;
        await office.Locator("#files").SetInputFilesAsync(
            Emails.Select((e, i) => Eml($"renshaw-{i + 1}.eml", e.Subject, e.Body, now.AddDays(-e.DaysAgo).AddHours(-2))).ToArray());
        await office.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Assertions.Expect(office.GetByTestId("upload-results")).ToContainTextAsync($"{Emails.Length} imported, 0 already in the log, 0 rejected");

        await office.GetByTestId("contacts").Locator("a", new() { HasText = HisName }).First.ClickAsync();
        await Assertions.Expect(office.GetByTestId("correspondent-name")).ToHaveTextAsync(HisName);
        var timeline = office.GetByTestId("timeline");
        await Assertions.Expect(timeline.Locator(".moj-timeline__item")).ToHaveCountAsync(Emails.Length);
        await Assertions.Expect(timeline).ToContainTextAsync("at direct risk");
        var yourChildren = timeline.Locator(".moj-timeline__item", new() { HasText = "Your children" });
        await Assertions.Expect(yourChildren).ToContainTextAsync("Mentions children or family");
        await Assertions.Expect(timeline.Locator(".moj-timeline__item", new() { HasText = "useless liar" })).ToContainTextAsync("Abusive");

        await office.Locator("#police").SelectOptionAsync("harbourside-police");
        await office.Locator("#summary").FillAsync("Four abusive e-mails to Alex Morgan MP about her campaign work, one saying her children are \"at direct risk\".");
        await office.GetByRole(AriaRole.Button, new() { Name = "Send the report" }).ClickAsync();
        await ExpectDoneAsync(office, "Reported to police");
        await Assertions.Expect(office.GetByTestId("report-status")).ToContainTextAsync("harbourside-police");
        await ScreenshotDownToAsync(office, timeline, "story-01-office-reports-him");

        // 2. Police: open a case from the office's report, then pass his "concern" to the council from the case.
        var police = await SignedInAsync(Investigator);
        await police.GotoAsync("/police?list=office-reports");
        var reportRow = police.GetByTestId("office-reports").Locator("tr", new() { HasText = HisName });
        await Assertions.Expect(reportRow).ToHaveCountAsync(1);
        await Assertions.Expect(reportRow).ToContainTextAsync(Emails.Length.ToString(CultureInfo.InvariantCulture));
        await reportRow.GetByRole(AriaRole.Link).First.ClickAsync();
        await Assertions.Expect(police.GetByTestId("report")).ToContainTextAsync(HisName);

        await police.Locator("#victim-given-name").FillAsync("Alex");
        await police.Locator("#victim-family-name").FillAsync("Morgan");
        await police.Locator("#victim-date-of-birth").FillAsync("1984-02-11");
        await police.Locator("#victim-email").FillAsync("alex.morgan@alex-morgan-mp.example");
        await police.Locator("#victim-line1").FillAsync("1 Quay Street");
        await police.Locator("#victim-town").FillAsync("Harbourside");
        await police.Locator("#victim-postcode").FillAsync("RV1 2AB");
        await police.Locator("#suspect-given-name").FillAsync("Neil");
        await police.Locator("#suspect-family-name").FillAsync("Renshaw");
        await police.Locator("#suspect-date-of-birth").FillAsync("1977-08-19");
        await police.Locator("#suspect-email").FillAsync(HisAddress);
        await police.Locator("#suspect-postcode").FillAsync("RV4 7TT");
        await police.Locator("#household-given-name").FillAsync("Ellie");
        await police.Locator("#household-family-name").FillAsync("Morgan");
        await police.Locator("#household-date-of-birth").FillAsync("2016-05-14");
        await police.GetByRole(AriaRole.Button, new() { Name = "Open case" }).ClickAsync();
        await ExpectDoneAsync(police, "Case recorded.");
        await Assertions.Expect(police.GetByTestId("status")).ToHaveTextAsync("Under investigation");
        await Assertions.Expect(police.GetByTestId("case-summary")).ToContainTextAsync("From an office's report");
        await Assertions.Expect(police.GetByTestId("incidents").Locator(".moj-timeline__item")).ToHaveCountAsync(Emails.Length);
        await Assertions.Expect(police.GetByTestId("people")).ToContainTextAsync("Alex Morgan");
        await Assertions.Expect(police.GetByTestId("people")).ToContainTextAsync(HisName);
        var caseUrl = new Uri(police.Url).AbsolutePath;
        var caseReference = (await police.Locator("main h1").InnerTextAsync()).Trim();
        output.WriteLine($"Police case {caseReference} at {caseUrl}");

        // He rang the force: the MP's children are "at direct risk". Police must pass that on.
        await police.GetByText("Pass a concern for a child to children's services", new() { Exact = true }).ClickAsync();
        var concernForm = police.GetByTestId("child-concern-form");
        await concernForm.Locator("#child-given").FillAsync("Ellie");
        await concernForm.Locator("#child-family").FillAsync("Morgan");
        await concernForm.Locator("#child-dob").FillAsync("2016-05-14");
        await concernForm.Locator("#child-postcode").FillAsync("RV1 2AB");
        await concernForm.Locator("#carer-given").FillAsync("Alex");
        await concernForm.Locator("#carer-family").FillAsync("Morgan");
        await concernForm.Locator("#carer-role").FillAsync("mother");
        await concernForm.Locator("#referrer-given").FillAsync("Neil");
        await concernForm.Locator("#referrer-family").FillAsync("Renshaw");
        await concernForm.Locator("#relationship").FillAsync("none: says he is a constituent");
        await concernForm.Locator("#source-of-knowledge").SelectOptionAsync("unknown");
        await concernForm.Locator("#concern").FillAsync(
            "Mr Renshaw rang the force and said: while she swans about on her campaign her children are at direct risk. Somebody should take those kids off her before it is too late.");
        await concernForm.GetByRole(AriaRole.Button, new() { Name = "Send referral" }).ClickAsync();
        await ExpectDoneAsync(police, "Referral sent to the local authority's children's services.");
        var referralRow = police.GetByTestId("child-referrals").Locator("tbody tr").First;
        await Assertions.Expect(referralRow).ToContainTextAsync("Riverside Borough Council");
        await Assertions.Expect(referralRow).ToContainTextAsync("chosen by postcode");
        var referralReference = ReferencePattern().Match(await referralRow.InnerTextAsync()).Value;
        Assert.False(string.IsNullOrEmpty(referralReference), "The case's table of referrals shows the council's reference");
        output.WriteLine($"Referral {referralReference}");
        await Screenshots.TakeAsync(police, "story-02-police-case-and-referral");

        // 3. The council's front door: the referral in the work list; the integrity check before any decision.
        var triage = await SignedInAsync(TriageWorker);
        await triage.GotoAsync("/children-services");
        var link = triage.GetByTestId("work-list").GetByRole(AriaRole.Link, new() { Name = referralReference, Exact = true });
        await Assertions.Expect(link).ToBeVisibleAsync();
        await link.ClickAsync();
        await Assertions.Expect(triage.Locator("main h1")).ToHaveTextAsync(referralReference);
        await Assertions.Expect(triage.GetByTestId("decisions-none")).ToBeVisibleAsync();

        var integrity = triage.GetByTestId("integrity");
        await Assertions.Expect(integrity).ToBeVisibleAsync();
        await Assertions.Expect(integrity).ToContainTextAsync("These signals do not change this referral's steps or deadline");
        var suspectSignal = integrity.Locator("[data-testid=integrity-signal][data-kind=referrer-is-suspect]");
        await Assertions.Expect(suspectSignal).ToHaveCountAsync(1);
        await Assertions.Expect(suspectSignal).ToContainTextAsync("Referrer is a suspect in a case against the family");
        await Assertions.Expect(suspectSignal).ToContainTextAsync("Harbourside Police case of harassment");
        await Assertions.Expect(suspectSignal).ToContainTextAsync("Alex Morgan is the victim");
        var contact = suspectSignal.GetByTestId("integrity-contact");
        await Assertions.Expect(contact).ToContainTextAsync("Harbourside Police hold information relevant to this referrer");
        await Assertions.Expect(contact).ToContainTextAsync("DC Sam Hale");
        await Assertions.Expect(contact).ToContainTextAsync(caseReference);
        await suspectSignal.Locator("summary").ClickAsync();
        await Assertions.Expect(suspectSignal.Locator(".govuk-details__text")).ToContainTextAsync("the case's suspect");
        // A flag and a contact cross the boundary, never the police record: not his date of birth, e-mail or the case's summary.
        var panelText = await integrity.InnerTextAsync();
        Assert.DoesNotContain("1977-08-19", panelText, StringComparison.Ordinal);
        Assert.DoesNotContain(HisAddress, panelText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("RV4 7TT", panelText, StringComparison.Ordinal);
        Assert.DoesNotContain("Four abusive e-mails", panelText, StringComparison.Ordinal);
        // His words to the office, passed on by police, resemble the e-mails the office logged and reported.
        var wordingSignal = integrity.Locator("[data-testid=integrity-signal][data-kind=wording-resembles-harassment]");
        await Assertions.Expect(wordingSignal).ToHaveCountAsync(1);
        await Assertions.Expect(wordingSignal).ToContainTextAsync("Office of Alex Morgan MP");
        await wordingSignal.Locator("summary").ClickAsync();
        await Assertions.Expect(wordingSignal.Locator(".govuk-details__text")).ToContainTextAsync("three-word phrases");
        foreach (var signal in await integrity.GetByTestId("integrity-signal").AllAsync())
        {
            output.WriteLine($"signal {await signal.GetAttributeAsync("data-kind")}: {(await signal.InnerTextAsync()).ReplaceLineEndings(" ")}");
        }
        // The signal changes nothing about the referral's handling: the deadline and the triage form are there as for any referral.
        await Assertions.Expect(triage.GetByTestId("triage-due")).ToBeVisibleAsync();
        await Assertions.Expect(triage.GetByTestId("triage-form")).ToBeVisibleAsync();
        await Assertions.Expect(triage.GetByTestId("concern")).ToContainTextAsync("at direct risk");
        await wordingSignal.Locator("summary").BlurAsync();
        await Axe.AssertAccessibleAsync(triage, output);
        await ScreenshotDownToAsync(triage, triage.GetByTestId("concern"), "story-03-integrity-check");

        await triage.Locator("#decision-strategy-discussion").CheckAsync();
        await triage.Locator("#reasons").FillAsync(
            "An allegation that the children are at direct risk must be considered on its merits. The integrity check shows the referrer is the suspect in a police harassment case against the mother: discuss with police.");
        await triage.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();
        await ExpectDoneAsync(triage, "Triage decision recorded.");
        await Assertions.Expect(triage.GetByTestId("triage-form")).ToHaveCountAsync(0);
        var referralUrl = new Uri(triage.Url).AbsolutePath;

        // 4. The social worker records the strategy discussion and the finding; the manager confirms, annotates, writes to the family.
        var social = await SignedInAsync(SocialWorker);
        await social.GotoAsync(referralUrl);
        await Assertions.Expect(social.GetByTestId("strategy-form")).ToBeVisibleAsync();
        await social.Locator("#attendees").FillAsync(
            "Kim Okafor, Riverside Borough Council, social worker\nDC Sam Hale, Harbourside Police, officer in the case\nJan Ollerton, Riverside Community Health, health visitor");
        await social.Locator("#information").FillAsync(
            "School: both children well cared for, attendance good. Health visitor: no concerns. Police: the referrer is the suspect in a harassment case against the mother.");
        await social.Locator("#strategy-decision").SelectOptionAsync("no-further-action");
        await social.Locator("#rationale").FillAsync("No reasonable cause to suspect significant harm; the allegation was made to harass the mother.");
        await social.GetByRole(AriaRole.Button, new() { Name = "Record strategy discussion" }).ClickAsync();
        await ExpectDoneAsync(social, "Strategy discussion recorded.");
        await Assertions.Expect(social.Locator("main")).ToContainTextAsync("DC Sam Hale (Harbourside Police, officer in the case)");

        await social.Locator("#finding").SelectOptionAsync("malicious");
        await social.Locator("#finding-reasons").FillAsync("No evidence supports the allegation; the referrer made it during a course of harassment of the mother.");
        await social.GetByRole(AriaRole.Button, new() { Name = "Record finding" }).ClickAsync();
        await ExpectDoneAsync(social, "Finding recorded.");
        await Assertions.Expect(social.GetByTestId("finding")).ToContainTextAsync("awaiting a manager's confirmation");

        var manager = await SignedInAsync(Manager);
        await manager.GotoAsync(referralUrl);
        await manager.Locator("#note").FillAsync("Agreed at the strategy discussion.");
        await manager.GetByRole(AriaRole.Button, new() { Name = "Confirm malicious" }).ClickAsync();
        await ExpectDoneAsync(manager, "Malicious finding confirmed.");
        await Assertions.Expect(manager.GetByTestId("finding")).ToContainTextAsync("Malicious");
        await Assertions.Expect(manager.GetByTestId("finding")).Not.ToContainTextAsync("awaiting");
        await manager.Locator("#annotation").FillAsync("Allegation found malicious (confirmed by a manager). Kept for the retention period as the law requires; do not act on it.");
        await manager.GetByRole(AriaRole.Button, new() { Name = "Add annotation" }).ClickAsync();
        await ExpectDoneAsync(manager, "Annotation added.");
        await Assertions.Expect(manager.GetByTestId("annotation")).ToContainTextAsync("Allegation found malicious");
        await manager.Locator("#recipient").FillAsync("Alex Morgan");
        await manager.GetByRole(AriaRole.Button, new() { Name = "Make and record the letter" }).ClickAsync();
        await ExpectDoneAsync(manager, "Letter to the family recorded as sent.");
        var letters = manager.GetByTestId("letters");
        await Assertions.Expect(letters).ToContainTextAsync("Alex Morgan");
        await Assertions.Expect(letters).ToContainTextAsync("found to be unfounded");
        await Assertions.Expect(letters).Not.ToContainTextAsync("malicious");
        await Assertions.Expect(letters).Not.ToContainTextAsync("Renshaw");
        await Screenshots.TakeAsync(manager, "story-04-council-finds-it-malicious");

        // 5. Police: the council's notice and what was disclosed, on the case; then the disposal, four eyes, and the instruction.
        await police.GotoAsync(caseUrl);
        var alerts = police.GetByTestId("case-alerts");
        await Assertions.Expect(alerts).ToContainTextAsync($"found the allegation in referral {referralReference} malicious");
        await Assertions.Expect(alerts).ToContainTextAsync("Riverside Borough Council");
        var disclosures = police.GetByTestId("case-disclosures");
        await Assertions.Expect(disclosures).ToContainTextAsync("Disclosed to children's services");
        await Assertions.Expect(disclosures).ToContainTextAsync(referralReference);
        await Assertions.Expect(disclosures).ToContainTextAsync("contact DC Sam Hale");
        await Assertions.Expect(police.GetByTestId("child-referrals")).ToContainTextAsync("malicious");

        await police.GetByText("Record the offence decision", new() { Exact = true }).ClickAsync();
        await police.Locator("#decision-reasons").FillAsync("Four e-mails in a week to one person after being ignored: a course of conduct he must have known amounted to harassment.");
        await police.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();
        await ExpectDoneAsync(police, "Offence decision recorded.");
        await Assertions.Expect(police.GetByTestId("offence-decision")).ToContainTextAsync("Crime recorded");

        await police.GetByText("Record the suspect's account", new() { Exact = true }).ClickAsync();
        await police.Locator("#account-how").SelectOptionAsync("voluntary-attendance");
        await police.Locator("#account-admitted").CheckAsync();
        await police.Locator("#account-notes").FillAsync("Admits sending all four e-mails and apologises; says he was angry about the campaign.");
        await police.GetByRole(AriaRole.Button, new() { Name = "Record account" }).ClickAsync();
        await ExpectDoneAsync(police, "Suspect's account recorded.");
        await Assertions.Expect(police.GetByTestId("accounts")).ToContainTextAsync("Admitted");

        await police.GetByText("Record the victim's views", new() { Exact = true }).ClickAsync();
        await police.Locator("#views-how").FillAsync("by phone");
        await police.Locator("#views-text").FillAsync("Wants the contact to stop; content with a community resolution if he is told not to contact her or her family.");
        await police.GetByRole(AriaRole.Button, new() { Name = "Record views" }).ClickAsync();
        await ExpectDoneAsync(police, "Victim's views recorded.");
        await Assertions.Expect(police.GetByTestId("views")).ToContainTextAsync("Wants the contact to stop");

        await police.GetByText("Propose a disposal", new() { Exact = true }).ClickAsync();
        await police.Locator("#disposal-community-resolution").CheckAsync();
        await police.Locator("#conditions").FillAsync("Not to contact Alex Morgan, her family or her office directly or indirectly");
        await police.Locator("#evidential").CheckAsync();
        await police.Locator("#propose-reasons").FillAsync("Admitted, first offence, the threshold for a charge is not met, and the victim is content.");
        await police.GetByRole(AriaRole.Button, new() { Name = "Propose disposal" }).ClickAsync();
        await ExpectDoneAsync(police, "Disposal proposed");
        await Assertions.Expect(police.GetByTestId("status")).ToHaveTextAsync("Disposal proposed");
        await Assertions.Expect(police.GetByTestId("authorise-form")).ToHaveCountAsync(0);

        var supervisor = await SignedInAsync(Supervisor);
        await supervisor.GotoAsync(caseUrl);
        await supervisor.Locator("#authorise-reasons").FillAsync("Proportionate: admitted, no previous, victim consulted.");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Authorise disposal" }).ClickAsync();
        await ExpectDoneAsync(supervisor, "Disposal authorised.");
        await Assertions.Expect(supervisor.GetByTestId("authorisation")).ToContainTextAsync("Authorised");
        await Assertions.Expect(supervisor.GetByTestId("disposal")).ToContainTextAsync("Not to contact Alex Morgan");

        await police.GotoAsync(caseUrl);
        await police.GetByText("Record a no-contact instruction", new() { Exact = true }).ClickAsync();
        await police.GetByRole(AriaRole.Button, new() { Name = "Record instruction" }).ClickAsync();
        await ExpectDoneAsync(police, "No-contact instruction recorded");
        await Assertions.Expect(police.GetByTestId("instructions")).ToContainTextAsync("No-contact instruction (non-statutory advice)");
        await Assertions.Expect(police.GetByTestId("instructions")).ToContainTextAsync("not to contact Alex Morgan");
        await police.GetByText("Record that the victim was told", new() { Exact = true }).ClickAsync();
        await police.Locator("#inform-how").FillAsync("by phone");
        await police.Locator("#inform-what").FillAsync("Community resolution with a no-contact condition; any further contact to be reported.");
        await police.GetByRole(AriaRole.Button, new() { Name = "Record update" }).ClickAsync();
        await ExpectDoneAsync(police, "Victim update recorded.");
        await Assertions.Expect(police.GetByTestId("victim-updates")).ToContainTextAsync("Community resolution with a no-contact condition");
        await Assertions.Expect(police.GetByTestId("case-alerts")).ToContainTextAsync("malicious");
        await Assertions.Expect(police.GetByTestId("case-disclosures")).ToBeVisibleAsync();
        await Axe.AssertAccessibleAsync(police, output);
        await ScreenshotDownToAsync(police, police.GetByTestId("people"), "story-05-police-notice-and-disposal");

        // 6. He writes again: the office's upload flags it as further contact after the instruction.
        await office.GotoAsync("/harassment");
        await office.Locator("#files").SetInputFilesAsync(new[]
        {
            Eml("renshaw-again.eml", "You can't silence me", "The police can't stop me telling people what you are.", DateTimeOffset.UtcNow),
        });
        await office.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Assertions.Expect(office.GetByTestId("upload-results")).ToContainTextAsync("1 imported");
        var again = office.GetByTestId("contacts").Locator("tr", new() { HasText = "You can't silence me" });
        await Assertions.Expect(again).ToContainTextAsync("further contact after a no-contact instruction");
        await Assertions.Expect(again).Not.ToContainTextAsync("breach");
        await Screenshots.TakeAsync(office, "story-06-office-further-contact");

        // ...and the officer in the case is alerted on the case.
        await police.GotoAsync(caseUrl);
        await Assertions.Expect(police.GetByTestId("case-alerts").Locator("li")).ToHaveCountAsync(2);
        await Assertions.Expect(police.GetByTestId("case-alerts")).ToContainTextAsync(HisAddress);
    }

    [GeneratedRegex("REF-[0-9A-F]{8}")]
    private static partial Regex ReferencePattern();

    private static FilePayload Eml(string name, string subject, string body, DateTimeOffset date) =>
        Infrastructure.Emails.Eml(name, new MailboxAddress(HisName, HisAddress), subject, body, date);

    private async Task<IPage> SignedInAsync(string email)
    {
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, email);
        return page;
    }

    /// <summary>Waits for the success banner of the step just taken; if the page shows an error instead, fails with what it says.</summary>
    private static async Task ExpectDoneAsync(IPage page, string text)
    {
        var banner = page.Locator(".govuk-notification-banner--success");
        try
        {
            await Assertions.Expect(banner).ToContainTextAsync(text, new() { Timeout = 15_000 });
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            var error = page.Locator(".govuk-error-summary");
            var shown = await error.CountAsync() > 0 ? await error.First.InnerTextAsync() : await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
            throw new InvalidOperationException($"Expected \"{text}\" at {page.Url}; the page shows: {shown[..Math.Min(800, shown.Length)]}", e);
        }
    }

    /// <summary>A 1280-wide screenshot of the page from its top down to the bottom of <paramref name="last"/>.</summary>
    private static async Task ScreenshotDownToAsync(IPage page, ILocator last, string name)
    {
        var bottom = await last.EvaluateAsync<double>("e => e.getBoundingClientRect().bottom + window.scrollY");
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Directory.CreateDirectory(Screenshots.Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(Screenshots.Folder, name + ".png"),
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
            Clip = new Clip { X = 0, Y = 0, Width = width, Height = (float)Math.Ceiling(bottom + 24) },
        });
    }
}
