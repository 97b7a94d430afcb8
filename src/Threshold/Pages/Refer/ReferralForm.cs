using Threshold.Domain.Safeguarding;

namespace Threshold.Pages.Refer;

/// <summary>The fields of the online referral forms (public and professional), bound from the posted form.</summary>
public sealed class ReferralForm
{
    public string? LocalAuthority { get; set; }
    public string? ChildGivenName { get; set; }
    public string? ChildFamilyName { get; set; }
    public string? ChildDateOfBirth { get; set; }
    public string? AddressLine1 { get; set; }
    public string? Town { get; set; }
    public string? Postcode { get; set; }
    public string? CarerGivenName { get; set; }
    public string? CarerFamilyName { get; set; }
    public string? CarerRole { get; set; }
    public string? Anonymous { get; set; }
    public string? ReferrerGivenName { get; set; }
    public string? ReferrerFamilyName { get; set; }
    public string? ReferrerEmail { get; set; }
    public string? ReferrerPhone { get; set; }
    public string? Relationship { get; set; }
    public string? SourceOfKnowledge { get; set; }
    public string? Concern { get; set; }
    public bool ImmediateDanger { get; set; }

    public ReferralSubmission ToSubmission(string door, string? agencyId, string? agencyName)
    {
        var address = new PostalAddress(AddressLine1, Town, Postcode);
        var anonymous = Anonymous == "yes";
        return new ReferralSubmission(
            LocalAuthority ?? "",
            string.IsNullOrWhiteSpace(ChildGivenName) && string.IsNullOrWhiteSpace(ChildFamilyName) && string.IsNullOrWhiteSpace(ChildDateOfBirth)
                ? []
                : [new PersonDetails(ChildGivenName, ChildFamilyName, ChildDateOfBirth, null, null, address)],
            string.IsNullOrWhiteSpace(CarerGivenName) && string.IsNullOrWhiteSpace(CarerFamilyName)
                ? []
                : [new CarerDetails(new PersonDetails(CarerGivenName, CarerFamilyName, null, null, null, address), CarerRole ?? "carer")],
            new ReferrerDetails(anonymous, anonymous ? null : new PersonDetails(ReferrerGivenName, ReferrerFamilyName, null, ReferrerEmail, ReferrerPhone, null),
                Relationship, SourceOfKnowledge ?? "unknown", agencyId, agencyName),
            Concern,
            ImmediateDanger,
            door);
    }

    /// <summary>Which field a refused rule points at, for the error summary's links.</summary>
    public static string FieldFor(string rule) => rule switch
    {
        "ReferralNeedsChild" or "ChildNeedsName" => "Form.ChildGivenName",
        "DateOfBirthMustBeADate" or "DateOfBirthInFuture" or "ChildMustBeUnder18" or "DateOfBirthImplausible" => "Form.ChildDateOfBirth",
        "ReferralNeedsConcern" or "TextTooLong" or "TextMustNotContainMarkup" or "TextMustBePlain" => "Form.Concern",
        "SourceOfKnowledgeMustBeKnown" => "Form.SourceOfKnowledge",
        "ReferrerNeedsNameOrAnonymous" => "Form.ReferrerGivenName",
        "ReferralNeedsLocalAuthority" or "LocalAuthorityNotFound" or "LocalAuthorityMustBeChildrenServices" => "Form.LocalAuthority",
        _ => "",
    };
}
