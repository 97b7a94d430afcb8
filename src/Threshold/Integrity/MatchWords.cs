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

    private static FieldEvidence? Field(MatchExplanation match, MatchField field) => match.Fields.FirstOrDefault(f => f.Field == field);

    private static bool Exact(MatchExplanation match, MatchField field) => Field(match, field)?.Level == Comparisons.Levels(field)[0];

    private static bool Agrees(MatchExplanation match, MatchField field) => Field(match, field) is { } f && f.Level != "missing" && f.Weight > 0;

    /// <summary>Known on both sides and weighing against the match (a different first name; "Carl" for "Gary" is "similar" but still against).</summary>
    private static bool Against(MatchExplanation match, MatchField field) => Field(match, field) is { } f && f.Level != "missing" && f.Weight < 0;

    /// <summary>
    /// The match rests on who the person is, not only where they live: nothing about the person (first
    /// name, date of birth) weighs against it, and an e-mail address or phone number is the same, or both
    /// names agree. The model gives a shared address — and a household's landline — great weight, which
    /// is right for finding a family's records and wrong for saying that a referrer is a suspect: his
    /// brother at the same address, on the same phone, is not him.
    /// </summary>
    /// <remarks>
    /// A first name the model weighs against ("Carl" for "Gary", a typo like "Annthony") still counts
    /// when the date of birth or the e-mail address is the same: a relative rarely shares either (a
    /// household's landline, often); a first name that is plainly different never does.
    /// </remarks>
    public static bool IsIdentity(MatchExplanation match) =>
        !FirstNameConflicts(match) && !Against(match, MatchField.DateOfBirth)
        && (Exact(match, MatchField.Email) || Exact(match, MatchField.Phone) || (Agrees(match, MatchField.GivenName) && Agrees(match, MatchField.FamilyName))
            || (Exact(match, MatchField.DateOfBirth) && Agrees(match, MatchField.FamilyName)));

    private static bool FirstNameConflicts(MatchExplanation match) =>
        Field(match, MatchField.GivenName)?.Level == Comparisons.Levels(MatchField.GivenName)[^1]
        || (Against(match, MatchField.GivenName) && !Exact(match, MatchField.DateOfBirth) && !Exact(match, MatchField.Email));

    /// <summary>
    /// A strong signal needs a detail beyond the name: the same e-mail, phone, date of birth or postcode.
    /// Two people can share a name (a teacher called Gary Thornbury); a name match alone is moderate at most.
    /// </summary>
    public static bool IsAnchored(MatchExplanation match) =>
        Exact(match, MatchField.Email) || Exact(match, MatchField.Phone) || Exact(match, MatchField.DateOfBirth) || Exact(match, MatchField.Postcode);

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
