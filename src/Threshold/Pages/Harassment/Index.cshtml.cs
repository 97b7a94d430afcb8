using Microsoft.AspNetCore.Mvc;
using Threshold.Access;
using Threshold.Harassment;
using Threshold.Harassment.Intake;
using Threshold.Mail.Import;
using Threshold.Storage.Harassment;

namespace Threshold.Pages.Harassment;

/// <summary>
/// The office's log: every contact, newest first, filtered by label, channel, dates and words, with
/// contacts per week; and the upload of e-mails (several files at once: .eml, mbox, as many as the
/// request size limit allows).
/// </summary>
[RequestSizeLimit(HarassmentSetup.MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = HarassmentSetup.MaxUploadBytes)]
public sealed class IndexModel(HarassmentQueries queries, HarassmentLog log, ReadGateway gateway) : HarassmentPage
{
    public const int PageSize = 200;

    [BindProperty(SupportsGet = true)]
    public string? Label { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Channel { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public IReadOnlyList<ContactRow> Contacts { get; private set; } = [];

    public IReadOnlyList<(DateOnly Week, int Count)> Weeks { get; private set; } = [];

    public IReadOnlyDictionary<string, string> CorrespondentNames { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyList<ContactResult>? UploadResults { get; private set; }

    public string? UploadError { get; private set; }

    public bool Filtered => Label is not null || Channel is not null || From is not null || To is not null || !string.IsNullOrWhiteSpace(Q);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostUploadAsync(List<IFormFile> files, CancellationToken ct)
    {
        if (files.Count == 0)
        {
            UploadError = "Choose one or more e-mail files (.eml or mbox) to upload.";
            await LoadAsync(ct);
            return Page();
        }
        var results = new List<ContactResult>();
        await using (var intake = await log.OpenIntakeAsync(Office, Me.Actor, ct))
        {
            foreach (var file in files)
            {
                // Each upload is read from a temporary copy, so an mbox is streamed like on the command line.
                var temp = Path.Combine(Path.GetTempPath(), $"threshold-upload-{Guid.NewGuid():n}");
                try
                {
                    await using (var target = System.IO.File.Create(temp))
                    {
                        await file.CopyToAsync(target, ct);
                    }
                    foreach (var message in MailSource.Read(temp, ct))
                    {
                        var r = await intake.AddMessageAsync(message, ct);
                        results.Add(r with { Source = message.SourceName.Replace(Path.GetFileName(temp), Path.GetFileName(file.FileName), StringComparison.Ordinal) });
                    }
                }
                finally
                {
                    System.IO.File.Delete(temp);
                }
            }
            await intake.CompleteAsync(string.Join(", ", files.Select(f => Path.GetFileName(f.FileName))), ct);
        }
        UploadResults = results;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var filter = new ContactFilter(null, string.IsNullOrEmpty(Label) ? null : Label, string.IsNullOrEmpty(Channel) ? null : Channel,
            From is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            To is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            Q, 5000);
        var all = await queries.ContactsAsync(Office, filter, ct);
        Weeks = PerWeek(all);
        Contacts = [.. all.Take(PageSize)];
        CorrespondentNames = (await queries.CorrespondentsAsync(Office, ct)).ToDictionary(c => c.CorrespondentId, c => c.DisplayName);
        await gateway.AuditListAsync(Me, Filtered ? $"harassment contacts (search '{Q}', label {Label}, channel {Channel}, {From}–{To})" : "harassment contacts",
            Filtered ? ReadChannel.Search : ReadChannel.Page, Contacts.Count, ct);
    }
}
