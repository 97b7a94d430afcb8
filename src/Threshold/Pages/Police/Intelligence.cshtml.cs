using Threshold.Access;
using Threshold.Domain.Safeguarding;
using Threshold.Policing;

namespace Threshold.Pages.Police;

/// <summary>Intelligence by person: the force's entries scored and explained by Threshold.Matching (the search is audited as a list read).</summary>
public sealed class IntelligenceModel(IntelligenceSearch search) : PolicePage
{
    public string? GivenName { get; private set; }
    public string? FamilyName { get; private set; }
    public string? DateOfBirth { get; private set; }
    public string? Email { get; private set; }
    public string? Phone { get; private set; }
    public string? Postcode { get; private set; }

    public IReadOnlyList<IntelligenceHit>? Hits { get; private set; }

    public async Task OnGetAsync(string? givenName, string? familyName, string? dateOfBirth, string? email, string? phone, string? postcode, CancellationToken ct)
    {
        (GivenName, FamilyName, DateOfBirth, Email, Phone, Postcode) = (givenName, familyName, dateOfBirth, email, phone, postcode);
        if (new[] { familyName, dateOfBirth, email, phone, postcode }.All(string.IsNullOrWhiteSpace))
        {
            if (!string.IsNullOrWhiteSpace(givenName))
            {
                ModelState.AddModelError("FamilyName", "Search by at least one of family name, date of birth, e-mail, phone or postcode");
            }
            return;
        }
        var person = Person(givenName, familyName, dateOfBirth, email, phone, postcode: postcode) ?? new PersonDetails(null, null, null, null, null, null);
        Hits = await search.SearchAsync(Me, person, ReadChannel.Search, ct: ct);
    }
}
