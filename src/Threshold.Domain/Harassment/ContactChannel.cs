namespace Threshold.Domain.Harassment;

/// <summary>How a contact reached the office. E-mails are imported; the others are entered by hand.</summary>
public static class ContactChannel
{
    public const string Email = "email";
    public const string PhoneCall = "phone-call";
    public const string Letter = "letter";
    public const string Visit = "visit";
    public const string SocialMedia = "social-media";

    public static IReadOnlyList<(string Slug, string Title)> All { get; } =
    [
        (Email, "E-mail"),
        (PhoneCall, "Phone call"),
        (Letter, "Letter"),
        (Visit, "Visit"),
        (SocialMedia, "Social-media post"),
    ];

    public static string Title(string slug) => All.FirstOrDefault(c => c.Slug == slug).Title ?? slug;

    /// <summary>Fails with a plain message for an unknown channel.</summary>
    public static string Parse(string? text)
    {
        var slug = text?.Trim().ToLowerInvariant().Replace(' ', '-').Replace('_', '-');
        slug = slug switch
        {
            "phone" or "call" or "telephone" => PhoneCall,
            "social" or "social-media-post" or "post" => SocialMedia,
            "e-mail" or "mail" => Email,
            _ => slug,
        };
        return All.Any(c => c.Slug == slug)
            ? slug!
            : throw new DomainRuleException("ContactChannelMustBeKnown",
                $"'{text}' is not a contact channel. Use one of: {string.Join(", ", All.Select(c => c.Slug))}.");
    }
}
