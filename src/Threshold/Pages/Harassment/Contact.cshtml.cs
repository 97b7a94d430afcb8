using Microsoft.AspNetCore.Mvc;
using Threshold.Access;
using Threshold.Domain;
using Threshold.Domain.Harassment;
using Threshold.Harassment.Correspondents;
using Threshold.Harassment.Intake;
using Threshold.Storage.Harassment;

namespace Threshold.Pages.Harassment;

/// <summary>
/// One contact: what was said (as text only — HTML is never rendered), its headers and evidence hash,
/// attachments by hash, and every triage label with the words that fired, each confirmable or
/// overturnable by the caseworker.
/// </summary>
public sealed class ContactModel(HarassmentQueries queries, HarassmentLog log, CaseworkerDecisions decisions, ReadGateway gateway) : HarassmentPage
{
    public ContactRow Contact { get; private set; } = null!;

    public ContactLogged? Logged { get; private set; }

    public IReadOnlyList<LabelRow> Labels { get; private set; } = [];

    public string? Error { get; private set; }

    /// <summary>The e-mail's HTML version beside its text body, reduced to text from the raw message (null when it had none).</summary>
    public Threshold.Mail.Import.HtmlText.Result? HtmlAlternative { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostReviewAsync(string id, string label, string decision, string? note, CancellationToken ct)
    {
        try
        {
            await decisions.ReviewLabelAsync(Office, id, label, decision, note, Me.Actor, ct);
            return Redirect($"/harassment/contacts/{Uri.EscapeDataString(id)}");
        }
        catch (DomainRuleException e)
        {
            Error = e.Message;
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
    }

    private async Task<bool> LoadAsync(string id, CancellationToken ct)
    {
        var row = await queries.FindContactAsync(Office, id, ct);
        // The read is audited against the contact's own record (its intake stream), like any record.
        if (row is null || !await gateway.AllowAsync(Me, row.StreamId, ReadChannel.Page, $"harassment contact {id}", ct))
        {
            return false;
        }
        Contact = row;
        Logged = await log.LoggedAsync(row, ct);
        if (Logged?.Message is { HtmlText: null } message && log.Blobs.OpenRead(message.OriginalSha256 ?? message.RawSha256) is { } raw)
        {
            await using (raw)
            {
                HtmlAlternative = Threshold.Mail.Import.MailReader.HtmlAlternative(raw);
            }
        }
        Labels = [.. (await queries.LabelsAsync([id], ct)).OrderBy(l => TriageLabels.All.Select(x => x.Slug).ToList().IndexOf(l.Label))];
        return true;
    }
}
