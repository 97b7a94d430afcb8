using Threshold.Matching.Normalisation;

namespace Threshold.Matching.Scoring;

/// <summary>The fields compared between two persons, in model order.</summary>
public enum MatchField
{
    GivenName,
    FamilyName,
    DateOfBirth,
    StreetNumber,
    AddressLine1,
    AddressLine2,
    Town,
    Postcode,
    State,
    Email,
    Phone,
    NationalId,
    /// <summary>
    /// The household patterns, compared as one extra field so EM can learn from the data how
    /// much they count: same date of birth with different given names (twins), or the same given
    /// name with a different date of birth (a parent and child of one name).
    /// </summary>
    HouseholdPattern,
}

/// <summary>
/// The comparison levels of each field, best first, and the function that puts a pair of persons
/// into one level per field. Level -1 means a value is missing on either side: it is neither
/// agreement nor disagreement and carries no weight.
/// </summary>
public static class Comparisons
{
    public const int FieldCount = 13;
    public const int Missing = -1;

    private static readonly string[][] LevelNames =
    [
        ["exact", "nickname", "jaro-winkler>=0.92", "phonetic", "similar (edits<=2 or jaro-winkler>=0.80)", "initial or other given name", "swapped with family name", "different"],
        ["exact", "jaro-winkler>=0.92", "phonetic", "part of double-barrelled name", "similar (edits<=2 or jaro-winkler>=0.80)", "swapped with given name", "different"],
        ["exact", "day and month swapped", "one digit slipped", "two of year, month, day agree", "different"],
        ["exact", "one edit", "different"],
        ["exact", "jaro-winkler>=0.92", "jaro-winkler>=0.80", "different"],
        ["exact", "jaro-winkler>=0.92", "jaro-winkler>=0.80", "different"],
        ["exact", "jaro-winkler>=0.92", "jaro-winkler>=0.80", "different"],
        ["exact", "same sector", "one character slipped", "same district", "different"],
        ["exact", "different"],
        ["exact", "same local part", "similar local part", "different"],
        ["exact", "one digit slipped", "different"],
        ["exact", "one edit", "different"],
        ["twin pattern (same birth date, different given name)", "namesake pattern (same given name, different birth date)", "neither"],
    ];

    /// <summary>The level names of a field, best first.</summary>
    public static IReadOnlyList<string> Levels(MatchField field) => LevelNames[(int)field];

    /// <summary>Number of levels of a field.</summary>
    public static int LevelCount(MatchField field) => LevelNames[(int)field].Length;

    /// <summary>Index of the last ("different") level of a field.</summary>
    public static int Different(MatchField field) => LevelNames[(int)field].Length - 1;

    /// <summary>Fills <paramref name="levels"/> (length <see cref="FieldCount"/>) with each field's level.</summary>
    public static void Compare(NormalisedPerson a, NormalisedPerson b, Span<sbyte> levels)
    {
        levels[0] = GivenName(a, b);
        levels[1] = FamilyName(a, b);
        levels[2] = DateOfBirth(a, b);
        levels[3] = EditLevel(a.StreetNumber, b.StreetNumber);
        AddressLines(a, b, out levels[4], out levels[5]);
        levels[6] = SimilarityLevel(a.Town, b.Town);
        levels[7] = Postcode(a, b);
        levels[8] = a.State.Length == 0 || b.State.Length == 0 ? (sbyte)-1 : a.State == b.State ? (sbyte)0 : (sbyte)1;
        levels[9] = Email(a, b);
        levels[10] = Phone(a, b);
        levels[11] = EditLevel(a.NationalId, b.NationalId);
        levels[12] = HouseholdPattern(levels[0], levels[2]);
    }

    /// <summary>The household-pattern level from the given-name and date-of-birth levels.</summary>
    public static sbyte HouseholdPattern(sbyte given, sbyte dateOfBirth)
    {
        if (given < 0 || dateOfBirth < 0)
        {
            return -1;
        }

        if (given == 7 && dateOfBirth == 0)
        {
            return 0;
        }

        return given is 0 or 1 && dateOfBirth == 4 ? (sbyte)1 : (sbyte)2;
    }

    public static sbyte GivenName(NormalisedPerson a, NormalisedPerson b)
    {
        string x = a.Given, y = b.Given;
        if (x.Length == 0 || y.Length == 0)
        {
            return -1;
        }

        if (x == y)
        {
            return 0;
        }

        if (Nicknames.ShareGroup(a.GivenNicknameGroups, b.GivenNicknameGroups))
        {
            return 1;
        }

        var jw = StringSimilarity.JaroWinkler(x, y);
        if (jw >= 0.92)
        {
            return 2;
        }

        if (PhoneticMatch(a.GivenPhonetic, a.GivenPhoneticAlt, b.GivenPhonetic, b.GivenPhoneticAlt))
        {
            return 3;
        }

        if ((x.Length == 1 && y[0] == x[0]) || (y.Length == 1 && x[0] == y[0])
            || Array.IndexOf(a.GivenNames, y) > 0 || Array.IndexOf(b.GivenNames, x) > 0)
        {
            return 5;
        }

        // Two edits in a name leave its Jaro-Winkler above 0.6, so dissimilar pairs skip the edit distance.
        if (jw >= 0.80 || (jw >= 0.6 && StringSimilarity.BoundedEditDistance(x, y, 2) <= 2))
        {
            return 4;
        }

        return x == b.Family ? (sbyte)6 : (sbyte)7;
    }

    public static sbyte FamilyName(NormalisedPerson a, NormalisedPerson b)
    {
        string x = a.Family, y = b.Family;
        if (x.Length == 0 || y.Length == 0)
        {
            return -1;
        }

        if (x == y)
        {
            return 0;
        }

        var jw = StringSimilarity.JaroWinkler(x, y);
        if (jw >= 0.92)
        {
            return 1;
        }

        if (PhoneticMatch(a.FamilyPhonetic, a.FamilyPhoneticAlt, b.FamilyPhonetic, b.FamilyPhoneticAlt))
        {
            return 2;
        }

        if (Array.IndexOf(a.FamilyParts, y) >= 0 || Array.IndexOf(b.FamilyParts, x) >= 0)
        {
            return 3;
        }

        if (jw >= 0.80 || (jw >= 0.6 && StringSimilarity.BoundedEditDistance(x, y, 2) <= 2))
        {
            return 4;
        }

        return x == b.Given ? (sbyte)5 : (sbyte)6;
    }

    public static sbyte DateOfBirth(NormalisedPerson a, NormalisedPerson b)
    {
        var x = a.DateOfBirth;
        var y = b.DateOfBirth;
        if (!x.IsPresent || !y.IsPresent)
        {
            return -1;
        }

        if (x.Packed == y.Packed)
        {
            return 0;
        }

        if (x.Year == y.Year && x.Month == y.Day && x.Day == y.Month)
        {
            return 1;
        }

        if (OneSlip(x.Digits, y.Digits))
        {
            return 2;
        }

        var agree = (x.Year == y.Year ? 1 : 0) + (x.Month == y.Month ? 1 : 0) + (x.Day == y.Day ? 1 : 0);
        return agree >= 2 ? (sbyte)3 : (sbyte)4;
    }

    public static sbyte Postcode(NormalisedPerson a, NormalisedPerson b)
    {
        var x = a.Postcode;
        var y = b.Postcode;
        if (!x.IsPresent || !y.IsPresent)
        {
            return -1;
        }

        if (x.Full == y.Full)
        {
            return 0;
        }

        if (x.Sector.Length > 0 && x.Sector == y.Sector)
        {
            return 1;
        }

        if (OneSlip(x.Full, y.Full))
        {
            return 2;
        }

        return x.District.Length > 0 && x.District == y.District ? (sbyte)3 : (sbyte)4;
    }

    public static sbyte Email(NormalisedPerson a, NormalisedPerson b)
    {
        if (a.Email.Length == 0 || b.Email.Length == 0)
        {
            return -1;
        }

        if (a.Email == b.Email)
        {
            return 0;
        }

        if (a.EmailLocal == b.EmailLocal)
        {
            return 1;
        }

        string x = a.EmailLocal, y = b.EmailLocal;
        return x.Length > 0 && y.Length > 0 && x[0] == y[0] && StringSimilarity.BoundedEditDistance(x, y, 2) <= 2 ? (sbyte)2 : (sbyte)3;
    }

    public static sbyte Phone(NormalisedPerson a, NormalisedPerson b)
    {
        string x = a.Phone, y = b.Phone;
        if (x.Length == 0 || y.Length == 0)
        {
            return -1;
        }

        if (x == y)
        {
            return 0;
        }

        // The same subscriber digits written with and without a country code still agree.
        if (x.Length >= 9 && y.Length >= 9 && x.AsSpan(x.Length - 9).SequenceEqual(y.AsSpan(y.Length - 9)))
        {
            return 0;
        }

        return OneSlip(x, y) ? (sbyte)1 : (sbyte)2;
    }

    /// <summary>Equal-length strings that differ in one character or by one adjacent swap (a keying slip).</summary>
    internal static bool OneSlip(string x, string y)
    {
        if (x.Length != y.Length)
        {
            return false;
        }

        var first = -1;
        var differences = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] != y[i])
            {
                if (++differences > 2)
                {
                    return false;
                }

                if (first < 0)
                {
                    first = i;
                }
            }
        }

        return differences <= 1
            || (first + 1 < x.Length && x[first] == y[first + 1] && x[first + 1] == y[first] && differences == 2);
    }

    private static sbyte EditLevel(string x, string y)
    {
        if (x.Length == 0 || y.Length == 0)
        {
            return -1;
        }

        if (x == y)
        {
            return 0;
        }

        return StringSimilarity.BoundedEditDistance(x, y, 1) <= 1 ? (sbyte)1 : (sbyte)2;
    }

    // Address lines are often written in the other order ("Flat 2, Rose Court" / "Rose Court, Flat 2"):
    // a line that agrees with the other record's other line counts as agreeing. The two crossed
    // similarities serve both lines, so each is computed once and only when a line needs it.
    private static void AddressLines(NormalisedPerson a, NormalisedPerson b, out sbyte line1, out sbyte line2)
    {
        line1 = SimilarityLevel(a.AddressLine1, b.AddressLine1);
        line2 = SimilarityLevel(a.AddressLine2, b.AddressLine2);
        if (line1 is 0 or 1 && line2 is 0 or 1)
        {
            return;
        }

        var crossed = (sbyte)Math.Min(
            Better(SimilarityLevel(a.AddressLine1, b.AddressLine2)),
            Better(SimilarityLevel(a.AddressLine2, b.AddressLine1)));
        if (crossed > 1)
        {
            return;
        }

        if (line1 is not (0 or 1) && (line1 < 0 || crossed < line1))
        {
            line1 = crossed;
        }

        if (line2 is not (0 or 1) && (line2 < 0 || crossed < line2))
        {
            line2 = crossed;
        }
    }

    private static sbyte Better(sbyte level) => level < 0 ? sbyte.MaxValue : level;

    private static sbyte SimilarityLevel(string x, string y)
    {
        if (x.Length == 0 || y.Length == 0)
        {
            return -1;
        }

        if (x == y)
        {
            return 0;
        }

        var jw = StringSimilarity.JaroWinkler(x, y);
        return jw >= 0.92 ? (sbyte)1 : jw >= 0.80 ? (sbyte)2 : (sbyte)3;
    }

    private static bool PhoneticMatch(uint a, uint aAlt, uint b, uint bAlt) =>
        a != 0 && b != 0 && (a == b || a == bAlt || aAlt == b || aAlt == bAlt);
}
