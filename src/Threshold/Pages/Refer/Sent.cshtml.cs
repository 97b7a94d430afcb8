using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Threshold.Pages.Refer;

/// <summary>The confirmation with the reference number (the reference is only echoed when it looks like one).</summary>
public sealed partial class SentModel : PageModel
{
    public string Reference { get; private set; } = "";

    public void OnGet(string? reference) => Reference = reference is not null && ReferencePattern().IsMatch(reference) ? reference : "";

    [GeneratedRegex("^REF-[0-9A-F]{8}$")]
    private static partial Regex ReferencePattern();
}
