using Microsoft.AspNetCore.Mvc;
using Threshold.Access;
using Threshold.Domain.Agencies;
using Threshold.Domain.Safeguarding;
using Threshold.Safeguarding;
using Threshold.Storage.Administration;

namespace Threshold.Pages.Refer;

/// <summary>
/// The professional's online referral form: signed in, so the referrer is the user and their agency,
/// and a referral from another agency is shared back with it for the outcome.
/// </summary>
public sealed class ProfessionalModel(ReferralService service, AdministrationQueries admin) : ReferralFormPage(service, admin)
{
    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadCouncilsAsync(ct);
        var me = CurrentUser.From(User)!;
        Form.LocalAuthority = Councils.FirstOrDefault(c => c.AgencyId == me.AgencyId)?.AgencyId ?? Councils.FirstOrDefault()?.AgencyId;
        Form.ReferrerGivenName = me.DisplayName;
        Form.ReferrerEmail = me.Email;
    }

    public Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var me = CurrentUser.From(User)!;
        Form.Anonymous = "no";
        var door = me.AgencyKind == AgencyKind.ChildrenServices.ToSlug() ? ReferralDoors.Professional : ReferralDoors.Agency;
        return SendAsync(() => Form.ToSubmission(door, me.AgencyId, me.AgencyName), me.Actor, ct);
    }
}
