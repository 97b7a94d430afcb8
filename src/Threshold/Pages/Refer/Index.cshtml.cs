using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Threshold.Domain;
using Threshold.Domain.Agencies;
using Threshold.Domain.Safeguarding;
using Threshold.Safeguarding;
using Threshold.Storage.Administration;

namespace Threshold.Pages.Refer;

/// <summary>
/// The public online referral form: no account, anonymous allowed, rate-limited per address, with
/// the "call 999" notice first. A refused submission comes back with the error summary and nothing
/// is written; an accepted one shows its reference number.
/// </summary>
public sealed class IndexModel(ReferralService service, AdministrationQueries admin) : PageModel
{
    [BindProperty]
    public ReferralForm Form { get; set; } = new();

    public IReadOnlyList<AgencyRow> Councils { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Councils = await CouncilsAsync(admin, ct);
        if (Councils.Count == 1)
        {
            Form.LocalAuthority = Councils[0].AgencyId;
        }
    }

    public static async Task<IReadOnlyList<AgencyRow>> CouncilsAsync(AdministrationQueries admin, CancellationToken ct) =>
        [.. (await admin.ListAgenciesAsync(ct)).Where(a => a.Kind == AgencyKind.ChildrenServices.ToSlug())];

    /// <summary>"Add another child/carer": the form again with one more blank fieldset; nothing is sent or written.</summary>
    public async Task<IActionResult> OnPostAddAsync(string? what, CancellationToken ct)
    {
        Councils = await IndexModel.CouncilsAsync(admin, ct);
        ModelState.Clear();
        Form.Add(what);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Councils = await CouncilsAsync(admin, ct);
        try
        {
            var received = await service.SubmitAsync(Form.ToSubmission(ReferralDoors.Public, null, null), $"public:{HttpContext.Connection.RemoteIpAddress}", ct);
            return RedirectToPage("/Refer/Sent", new { reference = received.Reference });
        }
        catch (DomainRuleException e)
        {
            ModelState.AddModelError(Form.FieldFor(e.Rule, e.Message), e.Message);
            return Page();
        }
    }
}
