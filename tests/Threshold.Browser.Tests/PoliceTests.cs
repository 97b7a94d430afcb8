using System.Globalization;
using Microsoft.Playwright;
using Threshold.Browser.Tests.Infrastructure;

namespace Threshold.Browser.Tests;

/// <summary>
/// A police harassment case as officers meet it: the investigator records a case, three incidents and
/// sees the offence advice grow, records the decision, the admission and the victim's views, and
/// proposes a community resolution; a supervisor finds it awaiting authorisation and authorises it;
/// the investigator tells the victim and finds the intelligence entry by searching for the man.
/// Screenshots (police-*.png) for the README's tour; axe-core finds nothing serious or critical.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PoliceTests(BrowserApp app, ITestOutputHelper output)
{
    private const string Investigator = "investigator@harbourside-police.example";
    private const string Supervisor = "supervisor@harbourside-police.example";

    [Fact]
    public async Task Investigator_builds_a_case_and_a_supervisor_authorises_the_community_resolution()
    {
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, Investigator);
        await Assertions.Expect(page.GetByTestId("police-panel")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New case", Exact = true }).First.ClickAsync();

        await page.Locator("#victim-given-name").FillAsync("Alex");
        await page.Locator("#victim-family-name").FillAsync("Morgan");
        await page.Locator("#victim-date-of-birth").FillAsync("1984-02-11");
        await page.Locator("#victim-postcode").FillAsync("RV1 2AB");
        await page.Locator("#suspect-given-name").FillAsync("Gary");
        await page.Locator("#suspect-family-name").FillAsync("Thornbury");
        await page.Locator("#suspect-date-of-birth").FillAsync("1979-04-02");
        await page.Locator("#suspect-email").FillAsync("gary.thornbury@example.net");
        await page.Locator("#household-given-name").FillAsync("Ellie");
        await page.Locator("#household-family-name").FillAsync("Morgan");
        await page.Locator("#household-date-of-birth").FillAsync("2016-05-14");
        await page.Locator("#summary").FillAsync("A run of abusive e-mails to the office of Alex Morgan MP about her campaign work.");
        await Screenshots.TakeAsync(page, "police-new-case");
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Record case" }).ClickAsync();

        await Assertions.Expect(page.Locator(".govuk-notification-banner")).ToContainTextAsync("Case recorded.");
        await Assertions.Expect(page.GetByTestId("status")).ToHaveTextAsync("Under investigation");
        var caseUrl = new Uri(page.Url).AbsolutePath;

        // Three e-mails over nine days: the advice says a course of conduct is possible.
        var today = DateTime.UtcNow.Date;
        foreach (var (daysAgo, text) in new[] { (11, "Calls her a useless liar."), (7, "Says he knows where she lives."), (3, "Tells her to watch herself.") })
        {
            if (!await page.Locator("#occurred-on").IsVisibleAsync())
            {
                await page.GetByText("Record an incident", new() { Exact = true }).ClickAsync();
            }
            await page.Locator("#occurred-on").FillAsync(today.AddDays(-daysAgo).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            await page.Locator("#occurred-time").FillAsync("09:30");
            await page.Locator("#incident-summary").FillAsync(text);
            await page.GetByRole(AriaRole.Button, new() { Name = "Record incident" }).ClickAsync();
            await Assertions.Expect(page.Locator(".govuk-notification-banner")).ToContainTextAsync("Incident recorded.");
        }
        await Assertions.Expect(page.Locator("[data-offence='pha-1997-s2']")).ToContainTextAsync("3 occasions over 9 days");
        await Screenshots.TakeAsync(page, "police-case-advice");
        await AssertAccessibleAsync(page);

        await page.GetByText("Record the offence decision", new() { Exact = true }).ClickAsync();
        await page.Locator("#decision-reasons").FillAsync("Three e-mails over nine days after she asked him to stop.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("offence-decision")).ToContainTextAsync("Crime recorded");

        await page.GetByText("Record the suspect's account", new() { Exact = true }).ClickAsync();
        await page.Locator("#account-how").SelectOptionAsync("voluntary-attendance");
        await page.Locator("#account-admitted").CheckAsync();
        await page.Locator("#account-notes").FillAsync("Admits sending them and apologises.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record account" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("accounts")).ToContainTextAsync("Admitted");

        await page.GetByText("Record the victim's views", new() { Exact = true }).ClickAsync();
        await page.Locator("#views-how").FillAsync("by phone");
        await page.Locator("#views-text").FillAsync("Wants it to stop; content with a community resolution with a no-contact condition.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record views" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("views")).ToContainTextAsync("Wants it to stop");

        await page.GetByText("Propose a disposal", new() { Exact = true }).ClickAsync();
        await page.Locator("#disposal-community-resolution").CheckAsync();
        await page.Locator("#conditions").FillAsync("Not to contact Alex Morgan or her family directly or indirectly");
        await page.Locator("#evidential").CheckAsync();
        await page.Locator("#propose-reasons").FillAsync("Admitted, first offence, the victim's views considered.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Propose disposal" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("status")).ToHaveTextAsync("Disposal proposed");
        await Assertions.Expect(page.GetByTestId("authorise-form")).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(page, "police-case-proposed");
        await AssertAccessibleAsync(page);

        // The supervisor's list, then the case: four eyes.
        var supervisor = await app.NewPageAsync();
        await BrowserApp.SignInAsync(supervisor, Supervisor);
        await supervisor.GetByRole(AriaRole.Link, new() { Name = "Police cases", Exact = true }).First.ClickAsync();
        var link = supervisor.GetByTestId("work-list").Locator($"a[href='{caseUrl}']");
        await Assertions.Expect(link).ToBeVisibleAsync();
        await Screenshots.TakeAsync(supervisor, "police-awaiting-authorisation");
        await AssertAccessibleAsync(supervisor);
        await link.ClickAsync();
        await supervisor.Locator("#authorise-reasons").FillAsync("Proportionate; the victim's views considered.");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Authorise disposal" }).ClickAsync();
        await Assertions.Expect(supervisor.GetByTestId("authorisation")).ToContainTextAsync("Authorised");
        await Assertions.Expect(supervisor.GetByTestId("intelligence")).ToContainTextAsync("recorded locally");

        // The investigator tells the victim, and the next officer finds the man in intelligence.
        await page.GotoAsync(caseUrl);
        await page.GetByText("Record that the victim was told", new() { Exact = true }).ClickAsync();
        await page.Locator("#inform-how").FillAsync("by phone");
        await page.Locator("#inform-what").FillAsync("Community resolution authorised with a no-contact condition.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record update" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("victim-updates")).ToContainTextAsync("Community resolution authorised");
        await Screenshots.TakeAsync(page, "police-case-authorised");
        await AssertAccessibleAsync(page);

        await page.GotoAsync("/police/intelligence");
        await page.Locator("#family-name").FillAsync("Thornbury");
        await page.Locator("#date-of-birth").FillAsync("1979-04-02");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("intelligence-hits")).ToContainTextAsync("Gary Thornbury");
        await Screenshots.TakeAsync(page, "police-intelligence");
        await AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task Case_pages_work_without_javascript()
    {
        var page = await app.NewPageAsync(javaScript: false);
        await BrowserApp.SignInAsync(page, Investigator);
        await page.GotoAsync("/police/cases/new");
        await page.Locator("#victim-given-name").FillAsync("Jordan");
        await page.Locator("#victim-family-name").FillAsync("Pemberton");
        await page.Locator("#suspect-given-name").FillAsync("Dean");
        await page.Locator("#suspect-family-name").FillAsync("Sallow");
        await page.Locator("#summary").FillAsync("Text messages every night.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record case" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("status")).ToHaveTextAsync("Under investigation");
        // The incident form is open (a native details element) while there is no incident.
        await page.Locator("#channel").SelectOptionAsync("text-message");
        await page.Locator("#incident-summary").FillAsync("Text at 02:10.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record incident" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("incidents")).ToContainTextAsync("Text message");
        await page.GotoAsync("/police?list=my-cases");
        await Assertions.Expect(page.GetByTestId("work-list")).ToContainTextAsync("Pemberton");
        // axe-core is a script: it cannot run on a page without JavaScript (the JavaScript test checks these pages).
        await Screenshots.TakeAsync(page, "police-my-cases");
    }

    private Task AssertAccessibleAsync(IPage page) => Axe.AssertAccessibleAsync(page, output);
}
