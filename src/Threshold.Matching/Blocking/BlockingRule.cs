using Threshold.Matching.Normalisation;

namespace Threshold.Matching.Blocking;

/// <summary>
/// A blocking rule: persons with the same key are compared; persons without a key (a field it
/// needs is missing) are not blocked by this rule. Several rules are used together, so a pair is
/// a candidate when any rule puts it in one block.
/// </summary>
public sealed class BlockingRule
{
    private readonly Func<NormalisedPerson, ulong> _key;

    public BlockingRule(string name, Func<NormalisedPerson, ulong> key)
    {
        Name = name;
        _key = key;
    }

    public string Name { get; }

    /// <summary>The person's key under this rule; 0 means none.</summary>
    public ulong KeyOf(NormalisedPerson person) => _key(person);

    /// <summary>
    /// The rules used by default: they tolerate a typo in any one field and a swap of given and
    /// family name or of day and month.
    /// </summary>
    public static IReadOnlyList<BlockingRule> Defaults { get; } =
    [
        new("given and family name sound (either order)", p => p.GivenPhonetic == 0 || p.FamilyPhonetic == 0
            ? 0
            : Hash.Combine(1, Math.Min(p.GivenPhonetic, p.FamilyPhonetic), Math.Max(p.GivenPhonetic, p.FamilyPhonetic))),
        new("date of birth (day and month either way)", p => !p.DateOfBirth.IsPresent
            ? 0
            : Hash.Combine(2, (uint)p.DateOfBirth.Year, (uint)((Math.Min(p.DateOfBirth.Month, p.DateOfBirth.Day) * 100) + Math.Max(p.DateOfBirth.Month, p.DateOfBirth.Day)))),
        new("family name sound and birth year", p => p.FamilyPhonetic == 0 || !p.DateOfBirth.IsPresent
            ? 0
            : Hash.Combine(3, p.FamilyPhonetic, (uint)p.DateOfBirth.Year)),
        new("given name sound and birth month", p => p.GivenPhonetic == 0 || !p.DateOfBirth.IsPresent
            ? 0
            : Hash.Combine(4, p.GivenPhonetic, (uint)((p.DateOfBirth.Month * 100) + p.DateOfBirth.Day))),
        new("postcode and street number", p => !p.Postcode.IsPresent || p.StreetNumber.Length == 0
            ? 0
            : Hash.Combine(5, Hash.Of(p.Postcode.Full), Hash.Of(p.StreetNumber))),
        new("given name sound and postcode", p => p.GivenPhonetic == 0 || !p.Postcode.IsPresent
            ? 0
            : Hash.Combine(6, p.GivenPhonetic, Hash.Of(p.Postcode.Full))),
        new("street and town", p => p.AddressLine1.Length == 0 || p.Town.Length == 0
            ? 0
            : Hash.Combine(10, Hash.Of(p.AddressLine1), Hash.Of(p.Town))),
        new("street and postcode", p => p.AddressLine1.Length == 0 || !p.Postcode.IsPresent
            ? 0
            : Hash.Combine(11, Hash.Of(p.AddressLine1), Hash.Of(p.Postcode.Full))),
        new("family name sound and town", p => p.FamilyPhonetic == 0 || p.Town.Length == 0
            ? 0
            : Hash.Combine(12, p.FamilyPhonetic, Hash.Of(p.Town))),
        new("family name sound and postcode", p => p.FamilyPhonetic == 0 || !p.Postcode.IsPresent
            ? 0
            : Hash.Combine(13, p.FamilyPhonetic, Hash.Of(p.Postcode.Full))),
        new("street number and street", p => p.StreetNumber.Length == 0 || p.AddressLine1.Length == 0
            ? 0
            : Hash.Combine(14, Hash.Of(p.StreetNumber), Hash.Of(p.AddressLine1))),
        new("address lines (either order)", p => p.AddressLine1.Length == 0 || p.AddressLine2.Length == 0
            ? 0
            : Hash.Combine(15, Math.Min(Hash.Of(p.AddressLine1), Hash.Of(p.AddressLine2)), Math.Max(Hash.Of(p.AddressLine1), Hash.Of(p.AddressLine2)))),
        new("family name sound and street number", p => p.FamilyPhonetic == 0 || p.StreetNumber.Length == 0
            ? 0
            : Hash.Combine(16, p.FamilyPhonetic, Hash.Of(p.StreetNumber))),
        new("given name sound and street number", p => p.GivenPhonetic == 0 || p.StreetNumber.Length == 0
            ? 0
            : Hash.Combine(17, p.GivenPhonetic, Hash.Of(p.StreetNumber))),
        new("email", p => p.Email.Length == 0 ? 0 : Hash.Combine(7, Hash.Of(p.Email), 0)),
        new("phone", p => p.Phone.Length == 0 ? 0 : Hash.Combine(8, Hash.Of(p.Phone), 0)),
        new("national id", p => p.NationalId.Length == 0 ? 0 : Hash.Combine(9, Hash.Of(p.NationalId), 0)),
    ];
}

/// <summary>FNV-1a based 64-bit hashing, stable across processes.</summary>
internal static class Hash
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Of(string s)
    {
        var h = Offset;
        foreach (var c in s)
        {
            h = (h ^ c) * Prime;
        }

        return h;
    }

    public static ulong Combine(uint rule, ulong a, ulong b)
    {
        var h = Offset ^ rule;
        h = Mix(h, a);
        h = Mix(h, b);
        return h == 0 ? 1 : h;
    }

    private static ulong Mix(ulong h, ulong v)
    {
        h ^= v;
        h *= Prime;
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9UL;
        return h ^ (h >> 32);
    }
}
