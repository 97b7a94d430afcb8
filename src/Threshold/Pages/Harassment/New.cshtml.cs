using Microsoft.AspNetCore.Mvc;
using Threshold.Domain;
using Threshold.Domain.Harassment;
using Threshold.Harassment;
using Threshold.Harassment.Intake;

namespace Threshold.Pages.Harassment;

/// <summary>Logs a phone call, letter, visit or social-media post by hand, with a screenshot if there is one.</summary>
[RequestSizeLimit(HarassmentSetup.MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = HarassmentSetup.MaxUploadBytes)]
public sealed class NewModel(HarassmentLog log) : HarassmentPage
{
    public const long MaxScreenshotBytes = 20L * 1024 * 1024;

    [BindProperty]
    public string Channel { get; set; } = ContactChannel.PhoneCall;

    [BindProperty]
    public DateOnly? OnDay { get; set; }

    [BindProperty]
    public TimeOnly? Time { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public string? Subject { get; set; }

    [BindProperty]
    public string? Body { get; set; }

    [BindProperty]
    public IFormFile? Screenshot { get; set; }

    public Dictionary<string, string> Errors { get; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Body))
        {
            Errors["body"] = "Say what was said or written";
        }
        if (Screenshot is { Length: > MaxScreenshotBytes })
        {
            Errors["screenshot"] = "The screenshot must be smaller than 20 MB";
        }
        if (Errors.Count > 0)
        {
            return Page();
        }
        byte[]? screenshot = null;
        if (Screenshot is { Length: > 0 })
        {
            using var buffer = new MemoryStream();
            await Screenshot.CopyToAsync(buffer, ct);
            screenshot = buffer.ToArray();
        }
        var when = OnDay is { } d ? new DateTimeOffset(d.ToDateTime(Time ?? new TimeOnly(12, 0)), TimeSpan.Zero) : (DateTimeOffset?)null;
        var names = (Name ?? "").Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        try
        {
            await using var intake = await log.OpenIntakeAsync(Office, Me.Actor, ct);
            var result = await intake.AddManualAsync(new ManualContact(Channel, when,
                new ContactSender(string.IsNullOrWhiteSpace(Name) ? null : Name.Trim(), Email, Phone,
                    names.Length == 2 ? names[0] : null, names.Length == 2 ? names[1] : null), Subject, Body, screenshot), ct);
            await intake.CompleteAsync("entered by hand", ct);
            return Redirect($"/harassment/contacts/{result.ContactId}");
        }
        catch (DomainRuleException e)
        {
            Errors[e.Rule == "ContactChannelMustBeKnown" ? "channel" : e.Rule == "ContactCannotBeInTheFuture" ? "day" : "body"] = e.Message;
            return Page();
        }
    }
}
