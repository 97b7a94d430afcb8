using System.Globalization;
using Threshold.Domain.Safeguarding;
using Threshold.Matching.Scoring;
using Threshold.Policing;

namespace Threshold.Integrity;

/// <summary>Match evidence in plain words that name which details agreed, never another agency's values.</summary>
public static class MatchWords
{
    /// <summary>Same person on the model's evidence alone.</summary>
    public const double SamePerson = 0.9;

    private static readonly Dictionary<MatchField, string> Names = new()
    {
        [MatchField.GivenName] = "first name",
        [MatchField.FamilyName] = "family name",
        [MatchField.DateOfBirth] = "date of birth",
        [MatchField.StreetNumber] = "house number",
        [MatchField.AddressLine1] = "street",
        [MatchField.AddressLine2] = "address",
        [MatchField.Town] = "town",
        [MatchField.Postcode] = "postcode",
        [MatchField.Email] = "e-mail address",
        [MatchField.Phone] = "phone number",
    };

    /// <summary>"first name nickname, family name exact, e-mail address exact; date of birth not compared (match probability 0.998)".</summary>
    public static string Describe(MatchExplanation match)
    {
        var compared = match.Fields.Where(f => f.Level != "missing" && Names.ContainsKey(f.Field)).Select(f => $"{Names[f.Field]} {f.Level}").ToList();
        var missing = match.Fields.Where(f => f.Level == "missing" && f.Field is MatchField.GivenName or MatchField.FamilyName or MatchField.DateOfBirth or MatchField.Email or MatchField.Phone or MatchField.Postcode)
            .Select(f => Names[f.Field]).ToList();
        var text = compared.Count == 0 ? "no detail in common" : string.Join(", ", compared);
        if (missing.Count > 0)
        {
            text += $"; not compared (not on both records): {string.Join(", ", missing)}";
        }
        return string.Create(CultureInfo.InvariantCulture, $"{text} (match probability {match.MatchProbability:0.000})");
    }

    private static string? Level(MatchExplanation match, MatchField field) => match.Fields.FirstOrDefault(f => f.Field == field)?.Level;

    private static bool Differs(MatchExplanation match, MatchField field) => Level(match, field) == Comparisons.Levels(field)[^1];

    private static bool Agrees(MatchExplanation match, MatchField field) => Level(match, field) is { } level && level != "missing" && level != Comparisons.Levels(field)[^1];

    /// <summary>
    /// The match rests on who the person is, not only where they live: an e-mail address or phone
    /// number in common, or both names agreeing (exactly, as a nickname, a typo…) with no date of birth
    /// against it. The model gives a shared address great weight (a household), which is right for
    /// finding a family's records and wrong for saying that a referrer is a suspect: his brother at
    /// the same address is not him.
    /// </summary>
    public static bool IsIdentity(MatchExplanation match) =>
        Level(match, MatchField.Email) == Comparisons.Levels(MatchField.Email)[0]
        || Level(match, MatchField.Phone) == Comparisons.Levels(MatchField.Phone)[0]
        || (Agrees(match, MatchField.GivenName) && Agrees(match, MatchField.FamilyName) && !Differs(match, MatchField.DateOfBirth));

    /// <summary>
    /// The best match between the family named in a referral and the people of a record (a victim and her
    /// household, or an instruction's protected persons) at <paramref name="minimum"/> (default <see cref="SamePerson"/>).
    /// </summary>
    public static (PersonDetails Named, string Role, PersonDetails Recorded, MatchExplanation Match)? FamilyMatch(
        IEnumerable<(PersonDetails Person, string Role)> family, IEnumerable<PersonDetails> recorded, double minimum = SamePerson)
    {
        (PersonDetails, string, PersonDetails, MatchExplanation)? best = null;
        var people = recorded.ToList();
        foreach (var (named, role) in family)
        {
            foreach (var r in people)
            {
                var match = PersonMatch.Explain(named, r);
                if (match.MatchProbability >= minimum && IsIdentity(match) && (best is null || match.MatchProbability > best.Value.Item4.MatchProbability))
                {
                    best = (named, role, r, match);
                }
            }
        }
        return best;
    }
}
