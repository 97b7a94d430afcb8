using System.Text.RegularExpressions;
using Threshold.Domain.Safeguarding;

namespace Threshold.Pages.Refer;

/// <summary>One child on the form.</summary>
public sealed class ChildFields
{
    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public string? DateOfBirth { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(GivenName) && string.IsNullOrWhiteSpace(FamilyName) && string.IsNullOrWhiteSpace(DateOfBirth);
}

/// <summary>One parent or carer on the form.</summary>
public sealed class CarerFields
{
    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public string? Role { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(GivenName) && string.IsNullOrWhiteSpace(FamilyName);
}

/// <summary>
/// The fields of the online referral forms (public and professional), bound from the posted form.
/// Several children and carers: "Add another child" / "Add another parent or carer" are submit buttons
/// that re-render the form with one more, blank, fieldset — no JavaScript. Blank fieldsets are ignored.
/// </summary>
public sealed partial class ReferralForm
{
    /// <summary>How many fieldsets the form offers at most (the domain's own limit is checked on sending).</summary>
    public const int MaxFieldsets = 10;

    public string? LocalAuthority { get; set; }
    public List<ChildFields> Children { get; set; } = [new()];
    public string? AddressLine1 { get; set; }
    public string? Town { get; set; }
    public string? Postcode { get; set; }
    public List<CarerFields> Carers { get; set; } = [new()];
    public string? Anonymous { get; set; }
    public string? ReferrerGivenName { get; set; }
    public string? ReferrerFamilyName { get; set; }
    public string? ReferrerEmail { get; set; }
    public string? ReferrerPhone { get; set; }
    public string? Relationship { get; set; }
    public string? SourceOfKnowledge { get; set; }
    public string? Concern { get; set; }
    public bool ImmediateDanger { get; set; }

    /// <summary>Adds one blank child or carer fieldset ("child" or "carer"), up to <see cref="MaxFieldsets"/>.</summary>
    public void Add(string? what)
    {
        Children = Children.Count == 0 ? [new()] : Children;
        Carers = Carers.Count == 0 ? [new()] : Carers;
        if (what == "child" && Children.Count < MaxFieldsets)
        {
            Children.Add(new());
        }
        else if (what == "carer" && Carers.Count < MaxFieldsets)
        {
            Carers.Add(new());
        }
    }

    public ReferralSubmission ToSubmission(string door, string? agencyId, string? agencyName)
    {
        var address = new PostalAddress(AddressLine1, Town, Postcode);
        var anonymous = Anonymous == "yes";
        return new ReferralSubmission(
            LocalAuthority ?? "",
            [.. Children.Where(c => !c.IsBlank).Select(c => new PersonDetails(c.GivenName, c.FamilyName, c.DateOfBirth, null, null, address))],
            [.. Carers.Where(c => !c.IsBlank).Select(c => new CarerDetails(new PersonDetails(c.GivenName, c.FamilyName, null, null, null, address), string.IsNullOrWhiteSpace(c.Role) ? "carer" : c.Role))],
            new ReferrerDetails(anonymous, anonymous ? null : new PersonDetails(ReferrerGivenName, ReferrerFamilyName, null, ReferrerEmail, ReferrerPhone, null),
                Relationship, SourceOfKnowledge ?? "unknown", agencyId, agencyName),
            Concern,
            ImmediateDanger,
            door);
    }

    /// <summary>Which field a refused rule points at, for the error summary's links ("child 2" in the message → the second child).</summary>
    public string FieldFor(string rule, string message)
    {
        var match = ChildNumber().Match(message);
        var nonBlank = Children.Select((c, i) => (c, i)).Where(x => !x.c.IsBlank).Select(x => x.i).ToList();
        var child = match.Success && int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var n && n >= 1 && n <= nonBlank.Count
            ? nonBlank[n - 1]
            : nonBlank.FirstOrDefault();
        return rule switch
        {
            "ReferralNeedsChild" or "ChildNeedsName" => $"Form.Children[{child}].GivenName",
            "DateOfBirthMustBeADate" or "DateOfBirthInFuture" or "ChildMustBeUnder18" or "DateOfBirthImplausible" => $"Form.Children[{child}].DateOfBirth",
            "ReferralNeedsConcern" or "TextTooLong" or "TextMustNotContainMarkup" or "TextMustBePlain" => "Form.Concern",
            "SourceOfKnowledgeMustBeKnown" => "Form.SourceOfKnowledge",
            "ReferrerNeedsNameOrAnonymous" => "Form.ReferrerGivenName",
            "ReferralNeedsLocalAuthority" or "LocalAuthorityNotFound" or "LocalAuthorityMustBeChildrenServices" => "Form.LocalAuthority",
            _ => "",
        };
    }

    [GeneratedRegex(@"\bchild (\d+)\b")]
    private static partial Regex ChildNumber();
}
