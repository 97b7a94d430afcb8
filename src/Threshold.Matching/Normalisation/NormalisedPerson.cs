namespace Threshold.Matching.Normalisation;

/// <summary>
/// A person after normalisation, with every key the comparisons need computed once. Empty
/// strings mean "missing". Built by <see cref="PersonNormaliser"/>.
/// </summary>
public sealed class NormalisedPerson
{
    public required string Id { get; init; }
    public required string Given { get; init; }
    /// <summary>Every given-name word (first and middle names).</summary>
    public required string[] GivenNames { get; init; }
    public required uint GivenPhonetic { get; init; }
    public required uint GivenPhoneticAlt { get; init; }
    public required int[] GivenNicknameGroups { get; init; }
    public required string Family { get; init; }
    /// <summary>Parts of a double-barrelled family name; empty when it has one part.</summary>
    public required string[] FamilyParts { get; init; }
    public required uint FamilyPhonetic { get; init; }
    public required uint FamilyPhoneticAlt { get; init; }
    public required ParsedDate DateOfBirth { get; init; }
    public required string StreetNumber { get; init; }
    public required string AddressLine1 { get; init; }
    public required string AddressLine2 { get; init; }
    public required string Town { get; init; }
    public required Postcode Postcode { get; init; }
    public required string State { get; init; }
    public required string Email { get; init; }
    public required string EmailLocal { get; init; }
    public required string Phone { get; init; }
    public required string NationalId { get; init; }

    /// <summary>Term-frequency adjustments (bits) for exact agreement on a common or rare value; set by the linker or index.</summary>
    internal float GivenTf { get; set; }
    internal float FamilyTf { get; set; }
    internal float TownTf { get; set; }
    internal float PostcodeTf { get; set; }
    internal float AddressTf { get; set; }
}
