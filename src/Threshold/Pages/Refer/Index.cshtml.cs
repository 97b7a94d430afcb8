using Microsoft.AspNetCore.Mvc;
using Threshold.Domain.Safeguarding;
using Threshold.Safeguarding;
using Threshold.Storage.Administration;

namespace Threshold.Pages.Refer;

/// <summary>
/// The public online referral form: no account, anonymous allowed, rate-limited per address, with
/// the "call 999" notice first.
/// </summary>
public sealed class IndexModel(ReferralService service, AdministrationQueries admin) : ReferralFormPage(service, admin)
{
    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadCouncilsAsync(ct);
        if (Councils.Count == 1)
        {
            Form.LocalAuthority = Councils[0].AgencyId;
        }
    }

    public Task<IActionResult> OnPostAsync(CancellationToken ct) =>
        SendAsync(() => Form.ToSubmission(ReferralDoors.Public, null, null), $"public:{HttpContext.Connection.RemoteIpAddress}", ct);
}
