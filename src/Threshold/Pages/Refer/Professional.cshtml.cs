using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Threshold.Access;
using Threshold.Domain;
using Threshold.Domain.Agencies;
using Threshold.Domain.Safeguarding;
using Threshold.Safeguarding;
using Threshold.Storage.Administration;

namespace Threshold.Pages.Refer;

/// <summary>
/// The professional's online referral form: signed in, so the referrer is the user and their agency,
/// and a referral from another agency is shared back with it for the outcome.
/// </summary>
public sealed class ProfessionalModel(ReferralService service, AdministrationQueries admin) : PageModel
{
    [BindProperty]
    public ReferralForm Form { get; set; } = new();

    public IReadOnlyList<AgencyRow> Councils { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Councils = await IndexModel.CouncilsAsync(admin, ct);
        var me = CurrentUser.From(User)!;
        Form.LocalAuthority = Councils.FirstOrDefault(c => c.AgencyId == me.AgencyId)?.AgencyId ?? Councils.FirstOrDefault()?.AgencyId;
        Form.ReferrerGivenName = me.DisplayName;
        Form.ReferrerEmail = me.Email;
    }

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
        Councils = await IndexModel.CouncilsAsync(admin, ct);
        var me = CurrentUser.From(User)!;
        Form.Anonymous = "no";
        var door = me.AgencyKind == AgencyKind.ChildrenServices.ToSlug() ? ReferralDoors.Professional : ReferralDoors.Agency;
        try
        {
            var received = await service.SubmitAsync(Form.ToSubmission(door, me.AgencyId, me.AgencyName), me.Actor, ct);
            return RedirectToPage("/Refer/Sent", new { reference = received.Reference });
        }
        catch (DomainRuleException e)
        {
            ModelState.AddModelError(Form.FieldFor(e.Rule, e.Message), e.Message);
            return Page();
        }
    }
}
