using Threshold.Browser.Tests.Infrastructure;

namespace Threshold.Browser.Tests;

/// <summary>axe-core (WCAG 2.2 A and AA, and axe best practices) finds nothing serious or critical.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task Sign_in_page_has_no_serious_accessibility_violations()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await AssertAccessibleAsync(await Axe.RunAsync(page));
    }

    [Fact]
    public async Task Sign_in_page_with_errors_has_no_serious_accessibility_violations()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Locator(".govuk-error-summary")).ToBeVisibleAsync();
        await AssertAccessibleAsync(await Axe.RunAsync(page));
    }

    [Theory]
    [InlineData("investigator@harbourside-police.example")]
    [InlineData("triage-worker@riverside-council.example")]
    [InlineData("caseworker@alex-morgan-mp.example")]
    [InlineData("auditor@harbourside-police.example")]
    public async Task Home_page_has_no_serious_accessibility_violations(string email)
    {
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, email);
        await AssertAccessibleAsync(await Axe.RunAsync(page));
    }

    private Task AssertAccessibleAsync(IReadOnlyList<Axe.Violation> violations)
    {
        foreach (var v in violations)
        {
            output.WriteLine(v.ToString());
        }
        var serious = Axe.SeriousOrCritical(violations);
        Assert.True(serious.Count == 0, "Serious or critical accessibility violations:\n" + string.Join("\n", serious));
        return Task.CompletedTask;
    }
}
