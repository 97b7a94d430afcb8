namespace Threshold.Matching.Normalisation;

/// <summary>Turns a raw <see cref="PersonRecord"/> into a <see cref="NormalisedPerson"/>.</summary>
public sealed class PersonNormaliser
{
    private readonly Nicknames _nicknames;
    private readonly string _phoneRegion;
    private readonly Dictionary<string, string>? _pool;

    /// <param name="nicknames">Nickname table; the shipped one when null.</param>
    /// <param name="phoneRegion">Region assumed for phone numbers without a country code.</param>
    /// <param name="internStrings">Share equal strings between persons (saves memory in large indexes; not thread-safe).</param>
    public PersonNormaliser(Nicknames? nicknames = null, string phoneRegion = "GB", bool internStrings = false)
    {
        _nicknames = nicknames ?? Nicknames.Default;
        _phoneRegion = phoneRegion;
        _pool = internStrings ? new Dictionary<string, string>(StringComparer.Ordinal) : null;
    }

    public static PersonNormaliser Default { get; } = new();

    public NormalisedPerson Normalise(PersonRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var givenNames = NameNormaliser.GivenNames(record.GivenName).Select(Pool).ToArray();
        var given = givenNames.Length > 0 ? givenNames[0] : "";
        var familyParts = NameNormaliser.FamilyParts(record.FamilyName);
        var family = Pool(string.Concat(familyParts));
        var givenKey = DoubleMetaphone.Encode(given);
        var familyKey = DoubleMetaphone.Encode(family);

        var line1 = AddressNormaliser.Normalise(record.AddressLine1);
        var number = TextNormaliser.Fold(record.StreetNumber).Replace(" ", "", StringComparison.Ordinal);
        if (number.Length == 0)
        {
            (number, line1) = AddressNormaliser.SplitHouseNumber(line1);
        }
        else if (line1.StartsWith(number + " ", StringComparison.Ordinal))
        {
            line1 = line1[(number.Length + 1)..];
        }

        var postcode = PostcodeNormaliser.Normalise(record.Postcode);
        var email = EmailNormaliser.Normalise(record.Email);
        return new NormalisedPerson
        {
            Id = record.Id,
            Given = given,
            GivenNames = givenNames,
            GivenPhonetic = Pack(givenKey.Primary),
            GivenPhoneticAlt = Pack(givenKey.Alternate),
            GivenNicknameGroups = _nicknames.GroupsOf(given),
            Family = family,
            FamilyParts = familyParts.Count > 1 ? familyParts.Select(Pool).ToArray() : [],
            FamilyPhonetic = Pack(familyKey.Primary),
            FamilyPhoneticAlt = Pack(familyKey.Alternate),
            DateOfBirth = DateOfBirthParser.Parse(record.DateOfBirth),
            StreetNumber = Pool(number),
            AddressLine1 = Pool(line1),
            AddressLine2 = Pool(AddressNormaliser.Normalise(record.AddressLine2)),
            Town = Pool(TextNormaliser.Fold(record.Town)),
            Postcode = new Postcode(Pool(postcode.Full), Pool(postcode.Sector), Pool(postcode.District)),
            State = Pool(TextNormaliser.Fold(record.State)),
            Email = email,
            EmailLocal = EmailNormaliser.LocalPart(email),
            Phone = PhoneNormaliser.Normalise(record.Phone, _phoneRegion),
            NationalId = TextNormaliser.Fold(record.NationalId).Replace(" ", "", StringComparison.Ordinal),
        };
    }

    /// <summary>Packs a Double Metaphone key of up to four ASCII characters into one integer (0 when empty).</summary>
    public static uint Pack(string key)
    {
        uint packed = 0;
        for (var i = 0; i < key.Length && i < 4; i++)
        {
            packed = (packed << 8) | (byte)key[i];
        }

        return packed;
    }

    private string Pool(string s)
    {
        if (_pool is null || s.Length == 0)
        {
            return s;
        }

        if (_pool.TryGetValue(s, out var shared))
        {
            return shared;
        }

        _pool[s] = s;
        return s;
    }
}
