using System.Globalization;
using System.Text.RegularExpressions;
using Threshold.Domain.Calendar;

namespace Threshold.Domain.Safeguarding;

/// <summary>The three doors a referral comes through.</summary>
public static class ReferralDoors
{
    public const string Agency = "agency";
    public const string Professional = "professional";
    public const string Public = "public";
}

/// <summary>A referral as it arrives, before anything is checked.</summary>
public sealed record ReferralSubmission(
    string LocalAuthority,
    IReadOnlyList<PersonDetails> Children,
    IReadOnlyList<CarerDetails> Carers,
    ReferrerDetails Referrer,
    string? Concern,
    bool ImmediateDanger,
    string Door,
    string? Nation = null);

/// <summary>
/// Checks a submission once, at the edge, and turns it into <see cref="ReferralReceived"/> with its
/// triage deadline. Every refusal is a <see cref="DomainRuleException"/> naming what to fix, so the
/// public form and the API both answer with a plain message and nothing is written.
/// </summary>
public static partial class ReferralIntake
{
    public const int MaxConcernLength = 20_000;
    public const int MaxFieldLength = 200;
    public const int MaxChildren = 20;
    public const int MaxCarers = 20;

    public static IReadOnlyList<string> SourcesOfKnowledge { get; } = ["first-hand", "second-hand", "online", "media", "unknown"];

    public static ReferralReceived Receive(ReferralSubmission s, string referralId, DateTimeOffset now, WorkingDayCalendar calendar)
    {
        var procedures = Procedures.For(s.Nation);
        var today = LondonTime.DateOf(now);
        if (s.Children.Count == 0)
        {
            throw new DomainRuleException("ReferralNeedsChild", "Name at least one child the concern is about.");
        }
        if (s.Children.Count > MaxChildren || s.Carers.Count > MaxCarers)
        {
            throw new DomainRuleException("ReferralTooManyPeople", $"A referral can name at most {MaxChildren} children and {MaxCarers} parents or carers.");
        }
        var children = s.Children.Select((c, i) => CheckPerson(c, $"child {i + 1}", today, child: true)).ToList();
        if (children.Any(c => string.IsNullOrWhiteSpace(c.GivenName) && string.IsNullOrWhiteSpace(c.FamilyName)))
        {
            throw new DomainRuleException("ChildNeedsName", "Give each child's name (a first name or a family name).");
        }
        var carers = s.Carers.Select((c, i) => new CarerDetails(
            CheckPerson(c.Person, $"parent or carer {i + 1}", today, child: false),
            string.IsNullOrWhiteSpace(c.Role) ? "carer" : CheckText(c.Role, $"parent or carer {i + 1} role", 50).ToLowerInvariant())).ToList();
        var concern = CheckText(s.Concern, "concern", MaxConcernLength);
        if (concern.Length == 0)
        {
            throw new DomainRuleException("ReferralNeedsConcern", "Describe the concern about the child in your own words.");
        }
        var source = string.IsNullOrWhiteSpace(s.Referrer.SourceOfKnowledge) ? "unknown" : s.Referrer.SourceOfKnowledge.Trim();
        if (!SourcesOfKnowledge.Contains(source))
        {
            throw new DomainRuleException("SourceOfKnowledgeMustBeKnown", $"How the referrer knows must be one of: {string.Join(", ", SourcesOfKnowledge)}.");
        }
        var referrerPerson = s.Referrer.Anonymous || s.Referrer.Person is null ? null : CheckPerson(s.Referrer.Person, "referrer", today, child: false);
        if (!s.Referrer.Anonymous && (referrerPerson is null || (string.IsNullOrWhiteSpace(referrerPerson.GivenName) && string.IsNullOrWhiteSpace(referrerPerson.FamilyName))))
        {
            throw new DomainRuleException("ReferrerNeedsNameOrAnonymous", "Give the referrer's name, or say the referral is anonymous.");
        }
        var referrer = s.Referrer with
        {
            Person = referrerPerson,
            Relationship = s.Referrer.Relationship is null ? null : CheckText(s.Referrer.Relationship, "relationship to the child", MaxFieldLength),
            SourceOfKnowledge = source,
        };
        var receivedAt = now;
        var due = procedures.DueAfter(procedures.TriageClock, receivedAt, calendar);
        return new ReferralReceived(referralId, ReferenceFor(referralId), s.LocalAuthority, s.Door, children, carers, referrer, concern,
            s.ImmediateDanger, receivedAt, due, procedures.Nation, procedures.Version);
    }

    /// <summary>The short reference a referrer is given: REF- and the id's first eight characters, upper case.</summary>
    public static string ReferenceFor(string referralId) => "REF-" + referralId[..Math.Min(8, referralId.Length)].ToUpperInvariant();

    public static PersonDetails CheckPerson(PersonDetails p, string who, DateOnly today, bool child)
    {
        var dob = p.DateOfBirth is { Length: > 0 } text ? CheckDateOfBirth(text, who, today, child) : null;
        return new PersonDetails(
            Optional(p.GivenName, $"{who} first name"),
            Optional(p.FamilyName, $"{who} family name"),
            dob,
            Optional(p.Email, $"{who} e-mail"),
            Optional(p.Phone, $"{who} phone"),
            p.Address is null ? null : new PostalAddress(
                Optional(p.Address.Line1, $"{who} address"),
                Optional(p.Address.Town, $"{who} town"),
                Optional(p.Address.Postcode, $"{who} postcode")?.ToUpperInvariant()));
    }

    private static string CheckDateOfBirth(string text, string who, DateOnly today, bool child)
    {
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dob))
        {
            throw new DomainRuleException("DateOfBirthMustBeADate", $"The {who} date of birth '{Clip(text)}' is not a date: write it as yyyy-mm-dd.");
        }
        if (dob > today)
        {
            throw new DomainRuleException("DateOfBirthInFuture", $"The {who} date of birth is in the future.");
        }
        if (child && dob < today.AddYears(-18))
        {
            throw new DomainRuleException("ChildMustBeUnder18", $"The {who} date of birth makes them 18 or older: children's services take referrals about children.");
        }
        if (dob < today.AddYears(-120))
        {
            throw new DomainRuleException("DateOfBirthImplausible", $"The {who} date of birth is more than 120 years ago.");
        }
        return dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static string? Optional(string? text, string what) =>
        string.IsNullOrWhiteSpace(text) ? null : CheckText(text, what, MaxFieldLength);

    /// <summary>
    /// Trims, limits the length and refuses markup. Text is always shown HTML-encoded; refusing script
    /// and tags at the door also keeps them out of letters, exports and other agencies' systems.
    /// </summary>
    public static string CheckText(string? text, string what, int maxLength)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length > maxLength)
        {
            throw new DomainRuleException("TextTooLong", $"The {what} is too long: at most {maxLength:N0} characters ({trimmed.Length:N0} given).");
        }
        if (Markup().IsMatch(trimmed))
        {
            throw new DomainRuleException("TextMustNotContainMarkup", $"The {what} contains HTML or script markup. Write plain text only.");
        }
        if (trimmed.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            throw new DomainRuleException("TextMustBePlain", $"The {what} contains control characters.");
        }
        return trimmed;
    }

    private static string Clip(string text) => text.Length > 20 ? text[..20] + "…" : text;

    // An HTML tag or a script URL: "<script", "</b>", "<img src=…>", "javascript:". A lone "<" as in "<3" or "age < 5" is fine.
    [GeneratedRegex(@"<\s*/?\s*[a-zA-Z][^>]*>|<\s*script|javascript\s*:|on[a-z]+\s*=\s*[""']", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Markup();
}
