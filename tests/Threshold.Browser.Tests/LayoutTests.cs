using System.Net;
using Microsoft.Playwright;
using Threshold.Browser.Tests.Infrastructure;

namespace Threshold.Browser.Tests;

/// <summary>The page template as a person meets it: sign in, the agency's header, sign out, and all of it without JavaScript too.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LayoutTests(BrowserApp app)
{
    private const string Investigator = "investigator@harbourside-police.example";

    [Fact]
    public async Task Sign_in_page_has_the_form_the_service_header_and_no_gov_uk_brand()
    {
        var page = await app.NewPageAsync();
        var response = await page.GotoAsync("/sign-in");
        Assert.Equal((int)HttpStatusCode.OK, response!.Status);

        await Assertions.Expect(page.Locator("#email")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#password")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".app-header")).ToHaveTextAsync("Threshold");
        await Assertions.Expect(page).ToHaveTitleAsync("Sign in – Threshold");

        // GOV.UK's brand is only for services on GOV.UK: no crown, no wordmark, no GDS Transport.
        var html = await page.ContentAsync();
        Assert.DoesNotContain("GOV.UK", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("govuk-logo", html, StringComparison.Ordinal);
        Assert.DoesNotContain("govuk-header__logotype", html, StringComparison.Ordinal);
        Assert.DoesNotContain("govuk-footer__copyright-logo", html, StringComparison.Ordinal);
        Assert.DoesNotContain("govuk-template--rebranded", html, StringComparison.Ordinal);
        var font = await page.Locator("main h1").EvaluateAsync<string>("h => getComputedStyle(h).fontFamily");
        Assert.DoesNotContain("GDS Transport", font, StringComparison.Ordinal);
        Assert.StartsWith("-apple-system", font, StringComparison.Ordinal);

        // The stylesheet is applied (GOV.UK's button is green) and the scripts ran.
        var buttonColour = await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true })
            .EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor");
        Assert.Equal("rgb(0, 112, 60)", buttonColour);
        await Assertions.Expect(page.Locator("body")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("govuk-frontend-supported"));

        await Assertions.Expect(page.Locator("footer")).ToContainTextAsync("Threshold — every record is on the ledger");
        await Assertions.Expect(page.Locator("footer a[href='/openapi/v1.json']")).ToBeVisibleAsync();

        await Screenshots.TakeAsync(page, "sign-in");
    }

    [Fact]
    public async Task Investigator_signs_in_and_sees_their_home_under_their_agency_header()
    {
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, Investigator);

        await Assertions.Expect(page.Locator("main h1")).ToBeVisibleAsync();
        var header = page.Locator(".app-header");
        await Assertions.Expect(header).ToContainTextAsync("Harbourside Police");
        await Assertions.Expect(header).ToContainTextAsync("Threshold");
        await Assertions.Expect(header).ToContainTextAsync("DC Sam Hale");
        await Assertions.Expect(header).ToContainTextAsync("Investigating officer");
        await Assertions.Expect(header.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();

        // The agency's colour (#1d3c6e) is the header's background, with white text on it.
        Assert.Equal("rgb(29, 60, 110)", await header.EvaluateAsync<string>("h => getComputedStyle(h).backgroundColor"));
        Assert.Equal("rgb(255, 255, 255)", await header.EvaluateAsync<string>("h => getComputedStyle(h).color"));

        await Screenshots.TakeAsync(page, "home-investigator");

        var phone = await app.NewPageAsync(width: 390, height: 844);
        await BrowserApp.SignInAsync(phone, Investigator);
        await Assertions.Expect(phone.Locator("main h1")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(phone, "home-investigator-mobile");
    }

    [Theory]
    [InlineData("triage-worker@riverside-council.example", "Riverside Borough Council children's services", "rgb(0, 98, 94)", "home-triage-worker")]
    [InlineData("caseworker@alex-morgan-mp.example", "Office of Alex Morgan MP", "rgb(91, 44, 111)", "home-caseworker")]
    public async Task Each_agency_gets_its_own_name_and_colour(string email, string agency, string colour, string screenshot)
    {
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, email);

        var header = page.Locator(".app-header");
        await Assertions.Expect(header).ToContainTextAsync(agency);
        Assert.Equal(colour, await header.EvaluateAsync<string>("h => getComputedStyle(h).backgroundColor"));
        await Screenshots.TakeAsync(page, screenshot);
    }

    [Fact]
    public async Task Sign_in_with_nothing_entered_shows_the_error_summary_linked_to_the_fields()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        var summary = page.Locator(".govuk-error-summary");
        await Assertions.Expect(summary).ToBeVisibleAsync();
        await Assertions.Expect(summary).ToContainTextAsync("There is a problem");
        await Assertions.Expect(summary.Locator("a[href='#email']")).ToBeVisibleAsync();
        await Assertions.Expect(summary.Locator("a[href='#password']")).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        // GOV.UK Frontend moves focus to the summary, so screen reader users hear it first.
        await Assertions.Expect(summary).ToBeFocusedAsync();

        await summary.Locator("a[href='#password']").ClickAsync();
        await Assertions.Expect(page.Locator("#password")).ToBeFocusedAsync();

        await Screenshots.TakeAsync(page, "sign-in-error");
    }

    [Fact]
    public async Task Sign_out_is_a_form_post_and_returns_to_sign_in()
    {
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, Investigator);

        var form = page.Locator(".app-header form.app-header__sign-out");
        Assert.Equal("post", (await form.GetAttributeAsync("method"))?.ToLowerInvariant());
        Assert.Equal("/sign-out", await form.GetAttributeAsync("action"));
        Assert.Equal(1, await form.Locator("input[name='__RequestVerificationToken']").CountAsync());

        await form.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"^https?://[^/]+/sign-in(\?.*)?$"));
        await Assertions.Expect(page.Locator(".app-header")).ToHaveTextAsync("Threshold");

        // Signed out for real: home sends us back to sign in.
        await page.GotoAsync("/");
        Assert.Equal("/sign-in", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task Everything_works_without_JavaScript()
    {
        var page = await app.NewPageAsync(javaScript: false);
        await BrowserApp.SignInAsync(page, Investigator);

        await Assertions.Expect(page.Locator("main h1")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".app-header")).ToContainTextAsync("Harbourside Police");
        await Assertions.Expect(page.Locator("body")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("govuk-frontend-supported"));

        await page.Locator("header").GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"^https?://[^/]+/sign-in(\?.*)?$"));
    }

    [Theory]
    [InlineData("/css/app.css", "text/css")]
    [InlineData("/js/app.js", "text/javascript")]
    [InlineData("/lib/govuk/govuk-frontend.min.js", "text/javascript")]
    [InlineData("/lib/moj/moj-frontend.min.js", "text/javascript")]
    [InlineData("/lib/moj/assets/images/icon-document.svg", "image/svg+xml")]
    public async Task Generated_assets_are_served(string path, string contentType)
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        if (path.EndsWith(".css", StringComparison.Ordinal))
        {
            var css = await response.Content.ReadAsStringAsync();
            Assert.Contains(".govuk-header", css, StringComparison.Ordinal);
            Assert.Contains(".moj-timeline", css, StringComparison.Ordinal);
            Assert.DoesNotContain("GDS Transport", css, StringComparison.Ordinal);
            Assert.DoesNotContain("@font-face", css, StringComparison.Ordinal);
        }
    }
}
