using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Threshold.Pages;

/// <summary>Plain-language pages for error status codes; never a stack trace.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    public string Title { get; private set; } = "";

    public string Message { get; private set; } = "";

    public IActionResult OnGet(int? code) => Show(code);

    public IActionResult OnPost(int? code) => Show(code);

    private PageResult Show(int? code)
    {
        Status = code ?? 500;
        (Title, Message) = Status switch
        {
            400 => ("The form could not be accepted",
                "The page may have expired or the form was not sent from Threshold. Go back, reload the page and try again."),
            403 => ("You cannot see this page", "Your role does not give access to this page."),
            404 => ("Page not found", "There is no page at this address that you can see. Check the address or the record reference."),
            405 => ("Not allowed", "That action is not allowed here."),
            429 => ("Too many attempts", "Wait a minute and try again."),
            _ => ("Sorry, there is a problem with the service", "Try again later. Nothing was half-written."),
        };
        return new PageResult { StatusCode = Status };
    }
}
