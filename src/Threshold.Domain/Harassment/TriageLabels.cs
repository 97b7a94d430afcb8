namespace Threshold.Domain.Harassment;

/// <summary>
/// The triage labels of the harassment log and their priority buckets. A contact's <c>labels</c>
/// lists only those that apply — likely or possible — never those judged unlikely (DESIGN.md,
/// stable API contract).
/// </summary>
public static class TriageLabels
{
    public const string Abusive = "abusive";
    public const string Threatening = "threatening";
    public const string MentionsFamily = "mentions-children-or-family";
    public const string Discriminatory = "discriminatory";
    public const string Sexual = "sexual";
    public const string RepeatedAfterStop = "repeated-after-asked-to-stop";

    public const string Likely = "likely";
    public const string Possible = "possible";
    public const string Unlikely = "unlikely";

    public const string Confirmed = "confirmed";
    public const string Overturned = "overturned";

    public static IReadOnlyList<(string Slug, string Title)> All { get; } =
    [
        (Abusive, "Abusive"),
        (Threatening, "Threatening"),
        (MentionsFamily, "Mentions children or family"),
        (Discriminatory, "Misogynistic or discriminatory"),
        (Sexual, "Sexual"),
        (RepeatedAfterStop, "Repeated after being asked to stop"),
    ];

    public static string Title(string slug) => All.FirstOrDefault(l => l.Slug == slug).Title ?? slug;

    public static bool Applies(string bucket) => bucket is Likely or Possible;

    public static string ParseLabel(string? text) =>
        All.Any(l => l.Slug == text)
            ? text!
            : throw new DomainRuleException("TriageLabelMustBeKnown",
                $"'{text}' is not a triage label. Labels are: {string.Join(", ", All.Select(l => l.Slug))}.");

    public static string ParseDecision(string? text) => text switch
    {
        Confirmed or Overturned => text,
        _ => throw new DomainRuleException("LabelReviewMustBeConfirmOrOverturn", "A label review either confirms or overturns the label."),
    };
}
