using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Threshold.Domain;
using Threshold.Domain.Agencies;
using Threshold.Domain.Safeguarding;
using Threshold.Safeguarding;
using Threshold.Storage.Administration;

namespace Threshold.Pages.Refer;

/// <summary>
/// What the public and the professional referral forms share: the form, the councils to choose from,
/// "add another" without JavaScript, and sending — a refused submission comes back at its field with
/// nothing written; an accepted one goes to the page with its reference number.
/// </summary>
public abstract class ReferralFormPage(ReferralService service, AdministrationQueries admin) : PageModel
{
    [BindProperty]
    public ReferralForm Form { get; set; } = new();

    public IReadOnlyList<AgencyRow> Councils { get; private set; } = [];

    protected async Task LoadCouncilsAsync(CancellationToken ct) =>
        Councils = [.. (await admin.ListAgenciesAsync(ct)).Where(a => a.Kind == AgencyKind.ChildrenServices.ToSlug())];

    /// <summary>"Add another child/carer": the form again with one more blank fieldset; nothing is sent or written.</summary>
    public async Task<IActionResult> OnPostAddAsync(string? what, CancellationToken ct)
    {
        await LoadCouncilsAsync(ct);
        ModelState.Clear();
        Form.Add(what);
        return Page();
    }

    protected async Task<IActionResult> SendAsync(Func<ReferralSubmission> submission, string actor, CancellationToken ct)
    {
        await LoadCouncilsAsync(ct);
        try
        {
            var received = await service.SubmitAsync(submission(), actor, ct);
            return RedirectToPage("/Refer/Sent", new { reference = received.Reference });
        }
        catch (DomainRuleException e)
        {
            ModelState.AddModelError(Form.FieldFor(e.Rule, e.Message), e.Message);
            return Page();
        }
    }
}
