using Microsoft.AspNetCore.Mvc;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;
using Threshold.Policing;

namespace Threshold.Pages.Police;

/// <summary>
/// A crime report entered directly: the victim, the suspect, a member of the victim's household, the
/// offence (catalogue code or plain alias) and a summary. An investigator who records it becomes the
/// officer in the case; a contact handler's report waits on the new-reports list.
/// </summary>
public sealed class NewModel(PoliceCaseService cases) : PolicePage
{
    [BindProperty]
    public PersonFields Victim { get; set; } = new();

    [BindProperty]
    public PersonFields Suspect { get; set; } = new();

    [BindProperty]
    public PersonFields Household { get; set; } = new();

    [BindProperty]
    public string? Offence { get; set; } = "harassment";

    [BindProperty]
    public string? Summary { get; set; }

    [BindProperty]
    public bool DomesticAbuse { get; set; }

    public static OffenceCatalogue Offences => PoliceCaseService.Offences;

    public void OnGet()
    {
    }

    public Task<IActionResult> OnPostAsync(CancellationToken ct) =>
        RecordAsync(async () =>
        {
            var suspect = Suspect.ToDetails();
            var household = Household.ToDetails();
            var opened = await cases.OpenAsync(Me, new CrimeReportSubmission(Victim.ToDetails(), suspect is null ? [] : [suspect], household is null ? [] : [household],
                Offence, Summary, DomesticAbuse), ct);
            return $"/police/cases/{opened.Id}?done=opened";
        }, () => Task.FromResult<IActionResult>(Page()), "report");
}

/// <summary>A person as a form's fields (the stable contract's person).</summary>
public sealed class PersonFields
{
    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public string? DateOfBirth { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Line1 { get; set; }
    public string? Town { get; set; }
    public string? Postcode { get; set; }

    public PersonDetails? ToDetails() => PolicePage.Person(GivenName, FamilyName, DateOfBirth, Email, Phone, Line1, Town, Postcode);
}
