using Threshold.Domain.Safeguarding;
using Threshold.Matching;
using Threshold.Matching.Normalisation;
using Threshold.Matching.Scoring;

namespace Threshold.Policing;

/// <summary>"Is this the same person?" for the police processes, with Threshold.Matching's Fellegi–Sunter model.</summary>
public static class PersonMatch
{
    private static readonly Scorer Scorer = new(MatchModel.Default());

    public static PersonRecord Record(string id, PersonDetails p) => new()
    {
        Id = id,
        GivenName = p.GivenName,
        FamilyName = p.FamilyName,
        DateOfBirth = p.DateOfBirth,
        AddressLine1 = p.Address?.Line1,
        Town = p.Address?.Town,
        Postcode = p.Address?.Postcode,
        Email = p.Email,
        Phone = p.Phone,
    };

    /// <summary>The match probability and the model's explanation of it.</summary>
    public static MatchExplanation Explain(PersonDetails a, PersonDetails b) =>
        Scorer.Explain(PersonNormaliser.Default.Normalise(Record("a", a)), PersonNormaliser.Default.Normalise(Record("b", b)));
}
