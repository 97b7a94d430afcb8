namespace Threshold.Matching;

/// <summary>
/// A person as an agency holds them, raw and unnormalised. Every field is optional: matching
/// uses what is there and treats a missing field as neither agreement nor disagreement.
/// </summary>
public sealed record PersonRecord
{
    public string Id { get; init; } = "";
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }
    /// <summary>Date of birth as written: <c>yyyymmdd</c>, <c>yyyy-mm-dd</c> or <c>dd/mm/yyyy</c>.</summary>
    public string? DateOfBirth { get; init; }
    public string? StreetNumber { get; init; }
    public string? AddressLine1 { get; init; }
    public string? AddressLine2 { get; init; }
    public string? Town { get; init; }
    public string? Postcode { get; init; }
    public string? State { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? NationalId { get; init; }
}
