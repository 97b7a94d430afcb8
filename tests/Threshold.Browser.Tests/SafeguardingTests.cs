using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Threshold.Browser.Tests.Infrastructure;

namespace Threshold.Browser.Tests;

/// <summary>
/// The children's services front door as people meet it: a member of the public tells the council
/// about two children (the "call 999" notice first, a reference at the end, no account), a triage
/// worker finds the referral in the work list and decides with reasons, and a team manager records
/// the strategy discussion through the page form. Screenshots for the README's tour; axe-core finds
/// nothing serious or critical on any of these pages.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SafeguardingTests(BrowserApp app, ITestOutputHelper output)
{
    private const string TriageWorker = "triage-worker@riverside-council.example";
    private const string Manager = "manager@riverside-council.example";

    [Fact]
    public async Task Public_referral_is_triaged_and_goes_to_a_strategy_discussion()
    {
        // A member of the public, no account.
        var page = await app.NewPageAsync();
        await page.GotoAsync("/refer");
        await Assertions.Expect(page.GetByTestId("call-999")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("call-999")).ToContainTextAsync("call 999");
        await page.Locator("#form-children-0-given-name").FillAsync("Hazel");
        await page.Locator("#form-children-0-family-name").FillAsync("Quenby");
        await page.Locator("#form-children-0-date-of-birth").FillAsync("2017-06-02");
        await page.GetByTestId("add-child").ClickAsync();
        await Assertions.Expect(page.GetByTestId("child-fieldset")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#form-children-0-given-name")).ToHaveValueAsync("Hazel");
        await page.Locator("#form-children-1-given-name").FillAsync("Rowan");
        await page.Locator("#form-children-1-family-name").FillAsync("Quenby");
        await page.Locator("#form-postcode").FillAsync("RV4 7JD");
        await page.Locator("#form-carers-0-given-name").FillAsync("Morgan");
        await page.Locator("#form-carers-0-family-name").FillAsync("Quenby");
        await page.Locator("#form-carers-0-role").FillAsync("mother");
        await page.Locator("#form-anonymous").CheckAsync();
        await page.Locator("#form-relationship").FillAsync("neighbour across the landing");
        await page.Locator("#source-first-hand").CheckAsync();
        await page.Locator("#form-concern").FillAsync("Most nights this week I have heard shouting and a small child crying for a long time after midnight.");
        await Screenshots.TakeAsync(page, "refer-public");
        await AssertAccessibleAsync(page);
        // Enter in a field sends the referral (the form's default button is Send, not "Add another child").
        await page.Locator("#form-relationship").PressAsync("Enter");

        await Assertions.Expect(page.GetByTestId("confirmation")).ToBeVisibleAsync();
        var reference = await page.GetByTestId("reference").InnerTextAsync();
        Assert.Matches(ReferencePattern(), reference);
        await AssertAccessibleAsync(page);

        // The triage worker finds it in the work list and opens it.
        var triage = await app.NewPageAsync();
        await BrowserApp.SignInAsync(triage, TriageWorker);
        await triage.GotoAsync("/children-services");
        var link = triage.GetByTestId("work-list").GetByRole(AriaRole.Link, new() { Name = reference, Exact = true });
        await Assertions.Expect(link).ToBeVisibleAsync();
        await Screenshots.TakeAsync(triage, "triage-work-list");
        await AssertAccessibleAsync(triage);
        await link.ClickAsync();

        await Assertions.Expect(triage.Locator("main h1")).ToHaveTextAsync(reference);
        await Assertions.Expect(triage.GetByTestId("triage-due")).ToBeVisibleAsync();
        await Assertions.Expect(triage.GetByTestId("concern")).ToContainTextAsync("crying");
        await Assertions.Expect(triage.GetByTestId("previous-none")).ToBeVisibleAsync();
        await triage.Locator("#decision-strategy-discussion").CheckAsync();
        await triage.Locator("#reasons").FillAsync("Repeated first-hand account of a young child in distress at night: reasonable cause to suspect significant harm.");
        await Screenshots.TakeAsync(triage, "referral-triage");
        await AssertAccessibleAsync(triage);
        await triage.GetByRole(AriaRole.Button, new() { Name = "Record decision" }).ClickAsync();
        await Assertions.Expect(triage.Locator(".govuk-notification-banner")).ToContainTextAsync("Triage decision recorded.");
        await Assertions.Expect(triage.GetByTestId("triage-form")).ToHaveCountAsync(0);
        var referralUrl = new Uri(triage.Url).AbsolutePath;

        // The team manager records the strategy discussion through the page form.
        var manager = await app.NewPageAsync();
        await BrowserApp.SignInAsync(manager, Manager);
        await manager.GotoAsync(referralUrl);
        await Assertions.Expect(manager.GetByTestId("strategy-form")).ToBeVisibleAsync();
        await manager.Locator("#attendees").FillAsync("Ruth Castell, Riverside Borough Council, chair\nDC Sam Hale, Harbourside Police, investigator\nDr Imogen Vale, Riverside Health, named doctor");
        await manager.Locator("#information").FillAsync("The referral; police call-out history at the address; health visitor notes.");
        await manager.Locator("#strategy-decision").SelectOptionAsync("section-47");
        await manager.Locator("#rationale").FillAsync("Threshold for a section 47 enquiry met on the referral as made.");
        await manager.GetByRole(AriaRole.Button, new() { Name = "Record strategy discussion" }).ClickAsync();
        await Assertions.Expect(manager.Locator(".govuk-notification-banner")).ToContainTextAsync("Strategy discussion recorded.");
        await Assertions.Expect(manager.Locator("main")).ToContainTextAsync("Dr Imogen Vale (Riverside Health, named doctor)");
        await Assertions.Expect(manager.GetByTestId("outcome-form")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(manager, "referral-strategy");
        await AssertAccessibleAsync(manager);
    }

    private Task AssertAccessibleAsync(IPage page) => Axe.AssertAccessibleAsync(page, output);

    [GeneratedRegex("^REF-[0-9A-F]{8}$")]
    private static partial Regex ReferencePattern();
}
