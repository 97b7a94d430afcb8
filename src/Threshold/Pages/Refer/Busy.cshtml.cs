using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Threshold.Pages.Refer;

/// <summary>Where a flood of public form posts is sent: the rate limit's message in words, answered as 429.</summary>
public sealed class BusyModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status429TooManyRequests;
}
