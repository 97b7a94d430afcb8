using Microsoft.Playwright;
using MimeKit;
using Threshold.Browser.Tests.Infrastructure;

namespace Threshold.Browser.Tests;

/// <summary>The caseworker's harassment log in Chromium: upload several e-mails (with the progress bar, and without JavaScript), the log, a correspondent's timeline; accessible throughout.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HarassmentLogTests(BrowserApp app, ITestOutputHelper output)
{
    private const string Caseworker = "caseworker@alex-morgan-mp.example";

    private static FilePayload Eml(string name, string from, string subject, string body, DateTimeOffset date) =>
        Emails.Eml(name, MailboxAddress.Parse(from), subject, body, date);

    private Task AssertAccessibleAsync(IPage page) => Axe.AssertAccessibleAsync(page, output);

    [Fact]
    public async Task Caseworker_uploads_several_emails_and_reads_the_correspondents_timeline()
    {
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, Caseworker);
        await page.GetByRole(AriaRole.Link, new() { Name = "Harassment log" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Harassment log");

        // One address for this test alone in the browser run (the README tour shows it).
        const string address = "g.quenby.writes@example.net";
        var forward = """
            Another one, logging it.

            ---------- Forwarded message ---------
            From: Gary Quenby <GARY>
            Date: Mon, 9 Mar 2026 at 21:40
            Subject: You were warned
            To: office@alex-morgan-mp.example

            I know where you live. Your kids walk to school on their own, don't they.
            """.Replace("GARY", address, StringComparison.Ordinal);
        await page.Locator("#files").SetInputFilesAsync(new[]
        {
            Eml("first.eml", $"Gary Quenby <{address}>", "Your campaign", "You are a useless liar and a disgrace.", new DateTimeOffset(2026, 3, 2, 9, 15, 0, TimeSpan.Zero)),
            Eml("second.eml", $"Gary Quenby <{address}>", "Ferry contract", "Stupid woman. Go back to the kitchen.", new DateTimeOffset(2026, 3, 5, 22, 3, 0, TimeSpan.Zero)),
            Eml("forwarded.eml", "Tess Whitlow <caseworker@alex-morgan-mp.example>", "Fwd: You were warned", forward, new DateTimeOffset(2026, 3, 10, 8, 0, 0, TimeSpan.Zero)),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();

        var results = page.Locator("[data-testid=upload-results]");
        await Assertions.Expect(results).ToContainTextAsync("3 imported, 0 already in the log, 0 rejected");
        await Assertions.Expect(page.Locator("[data-testid=contacts]")).ToContainTextAsync("You were warned");
        await Assertions.Expect(page.Locator("[data-testid=contacts-per-week-chart]")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);
        await Screenshots.TakeAsync(page, "harassment-log");

        // The forward was logged as from Gary, so all three are one correspondent's.
        await page.Locator("[data-testid=contacts] a", new() { HasText = "Gary Quenby" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=correspondent-name]")).ToHaveTextAsync("Gary Quenby");
        var timeline = page.Locator("[data-testid=timeline] .moj-timeline__item");
        await Assertions.Expect(timeline).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=timeline]")).ToContainTextAsync("forwarded by caseworker@alex-morgan-mp.example");
        await Assertions.Expect(page.Locator("[data-testid=timeline]")).ToContainTextAsync("Mentions children or family");
        await AssertAccessibleAsync(page);
        await Screenshots.TakeAsync(page, "harassment-correspondent");
    }

    [Fact]
    public async Task A_contact_shows_its_html_version_as_text_on_request_with_what_the_markup_tried()
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("Nell Garrow <n.garrow.writes@example.net>"));
        message.To.Add(MailboxAddress.Parse("Alex Morgan MP <office@alex-morgan-mp.example>"));
        message.Subject = "Read this properly";
        message.Date = new DateTimeOffset(2026, 3, 4, 19, 30, 0, TimeSpan.Zero);
        message.MessageId = $"{Guid.NewGuid():n}@example.net";
        message.Body = new MultipartAlternative
        {
            new TextPart("plain") { Text = "You are a useless liar. You ignore every letter I send. Answer me." },
            new TextPart("html")
            {
                Text = "<p>You are a <b>useless liar</b>. You ignore every letter I send. <a href=\"https://example.net/blog\">Answer me.</a></p>"
                    + "<script>alert('x')</script><img src=\"https://tracker.example/p.gif?u=office\" width=\"1\" height=\"1\">",
            },
        };
        using var stream = new MemoryStream();
        message.WriteTo(stream);

        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, Caseworker);
        await page.GotoAsync("/harassment");
        await page.Locator("#files").SetInputFilesAsync(new[] { new FilePayload { Name = "both.eml", MimeType = "message/rfc822", Buffer = stream.ToArray() } });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=upload-results]")).ToContainTextAsync("1 imported");
        await page.Locator("[data-testid=contacts] a", new() { HasText = "Read this properly" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Read this properly");

        var html = page.Locator("[data-testid=html-alternative]");
        await Assertions.Expect(html.Locator(".govuk-details__text")).Not.ToBeVisibleAsync();
        await html.Locator("summary").ClickAsync();
        await Assertions.Expect(html).ToContainTextAsync("You are a useless liar. You ignore every letter I send. Answer me. [https://example.net/blog]");
        await Assertions.Expect(html).ToContainTextAsync("HTML: 1 script removed");
        await Assertions.Expect(html).ToContainTextAsync("HTML: 1 remote image not fetched");
        await html.Locator("summary").BlurAsync();
        await AssertAccessibleAsync(page);
        await Screenshots.TakeAsync(page, "harassment-contact");
    }

    [Fact]
    public async Task Upload_works_without_javascript()
    {
        var page = await app.NewPageAsync(javaScript: false);
        await BrowserApp.SignInAsync(page, Caseworker);
        await page.GotoAsync("/harassment");
        await page.Locator("#files").SetInputFilesAsync(new[]
        {
            Eml("plain.eml", $"Lyn Bardsley <lyn.{Guid.NewGuid():n}@example.org>", "Bins", "The bins have not been collected for three weeks.", new DateTimeOffset(2026, 3, 3, 10, 0, 0, TimeSpan.Zero)),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=upload-results]")).ToContainTextAsync("1 imported");
    }
}
