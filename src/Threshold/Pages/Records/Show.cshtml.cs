using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Threshold.Access;
using Threshold.Storage.Ledger;

namespace Threshold.Pages.Records;

/// <summary>
/// A record's full history, read through the audited gateway. Another agency's record that was not
/// shared looks exactly like a missing one.
/// </summary>
public sealed class ShowModel(ReadGateway gateway) : PageModel
{
    public string Id { get; private set; } = "";

    public IReadOnlyList<StoredEvent> Events { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return Redirect("/");
        }
        Id = id.Trim();
        var events = await gateway.ReadStreamAsync(CurrentUser.From(User)!, Id, ReadChannel.Page, "record page", ct);
        if (events is null)
        {
            return NotFound();
        }
        Events = events;
        return Page();
    }
}
