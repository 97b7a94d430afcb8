using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Threshold.Access;
using Threshold.Domain.Access;
using Threshold.Storage;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;
using Threshold.Web;

namespace Threshold.Pages.Account;

/// <summary>Cookie sign-in. Wrong passwords get one generic message and count toward lock-out.</summary>
[EnableRateLimiting(ThresholdWeb.SignInRateLimit)]
public sealed class SignInModel(SignInManager<ThresholdUser> signIn, UserManager<ThresholdUser> users, ThresholdStore store) : PageModel
{
    public const string GenericFailure = "The e-mail address or password is not right.";

    [BindProperty]
    [Required(ErrorMessage = "Enter your e-mail address")]
    public string? Email { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Enter your password")]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var user = await users.FindByEmailAsync(Email!.Trim());
        if (user is null)
        {
            ModelState.AddModelError(nameof(Email), GenericFailure);
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(user, Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            ModelState.AddModelError(nameof(Email), "This account is locked after too many wrong passwords. Try again in 15 minutes, or ask your administrator.");
            return Page();
        }
        if (!result.Succeeded)
        {
            ModelState.AddModelError(nameof(Email), GenericFailure);
            return Page();
        }
        await store.Ledger.AppendAsync(user.AgencyId, Administration.AdministrationService.UserStream(user.Id), ExpectedVersion.Any,
            [EventSerializer.ToNew(new SignInSucceeded(user.Id, user.Email))], $"user:{user.Email}", ct);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
