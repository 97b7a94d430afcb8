// Records document only their less obvious fields.
#pragma warning disable CS1573

using System.Text.Json;
using Threshold.Domain.Calendar;

namespace Threshold.Domain.Policing;

/// <summary>One disposal and the rules that govern proposing it.</summary>
/// <param name="OutOfCourt">An out-of-court resolution: the victim's views must be recorded before it is proposed (Victims' Code).</param>
/// <param name="NeedsAdmission">The suspect must have admitted the offence (or accepted responsibility).</param>
/// <param name="NeedsEvidentialStandard">The evidential stage of the Full Code Test must be met.</param>
public sealed record Disposal(
    string Code, string Title, IReadOnlyList<string> Frameworks, bool OutOfCourt, bool NeedsAdmission, bool NeedsEvidentialStandard,
    bool AllowedForDomesticAbuse, bool NeedsOutcomeReason, bool Conditions, string Source);

public sealed record OutcomeReason(string Code, string Title);

/// <summary>
/// The disposal catalogue as data (Policing/Data/disposals.json): no further action with its outcome
/// reason, community resolution, cautions, charge; the two-tier framework (diversionary and community
/// cautions) switched on by configuration. Also the victim-update clocks.
/// </summary>
public sealed class DisposalCatalogue
{
    public const string Current = "current";
    public const string TwoTier = "two-tier";

    public static DisposalCatalogue Default { get; } = Parse(DataFiles.Read("disposals.json"));

    private DisposalCatalogue(string version, string source, IReadOnlyList<Disposal> disposals, IReadOnlyList<OutcomeReason> reasons, int decisionWorkingDays, int intervalDays, string victimUpdateSource)
    {
        Version = version;
        Source = source;
        All = disposals;
        OutcomeReasons = reasons;
        DecisionWorkingDays = decisionWorkingDays;
        UpdateIntervalDays = intervalDays;
        VictimUpdateSource = victimUpdateSource;
    }

    public string Version { get; }

    public string Source { get; }

    public IReadOnlyList<Disposal> All { get; }

    public IReadOnlyList<OutcomeReason> OutcomeReasons { get; }

    /// <summary>Victims' Code Right 6: the victim is told of a decision within this many working days.</summary>
    public int DecisionWorkingDays { get; }

    /// <summary>The force's interval between victim updates (policy, not statute).</summary>
    public int UpdateIntervalDays { get; }

    public string VictimUpdateSource { get; }

    public static string CheckFramework(string? framework) => framework switch
    {
        null or "" or Current => Current,
        TwoTier => TwoTier,
        _ => throw new DomainRuleException("FrameworkMustBeKnown", $"The out-of-court framework '{framework}' is not known: use current or two-tier."),
    };

    /// <summary>The disposals available under a framework.</summary>
    public IReadOnlyList<Disposal> For(string framework) => [.. All.Where(d => d.Frameworks.Contains(CheckFramework(framework)))];

    public Disposal Find(string? code, string framework)
    {
        var key = code?.Trim().ToLowerInvariant() ?? "";
        var disposal = All.FirstOrDefault(d => d.Code == key)
            ?? throw new DomainRuleException("DisposalMustBeKnown", $"'{code}' is not a disposal. Choose one of: {string.Join(", ", For(framework).Select(d => d.Code))}.");
        return disposal.Frameworks.Contains(CheckFramework(framework))
            ? disposal
            : throw new DomainRuleException("DisposalNotInFramework",
                $"A {disposal.Title.ToLowerInvariant()} is not available under the {framework} out-of-court framework. Choose one of: {string.Join(", ", For(framework).Select(d => d.Code))}.");
    }

    public OutcomeReason Reason(string? code) =>
        OutcomeReasons.FirstOrDefault(r => r.Code == code?.Trim())
        ?? throw new DomainRuleException("OutcomeReasonMustBeKnown",
            $"'{code}' is not an outcome reason for no further action. Choose one of: {string.Join("; ", OutcomeReasons.Select(r => $"{r.Code} ({r.Title})"))}.");

    public static DisposalCatalogue Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var updates = root.GetProperty("victimUpdates");
        return new DisposalCatalogue(
            Text(root, "version"), Text(root, "source"),
            [.. root.GetProperty("disposals").EnumerateArray().Select(d => new Disposal(
                Text(d, "code"), Text(d, "title"), [.. d.GetProperty("frameworks").EnumerateArray().Select(f => f.GetString() ?? "")],
                d.GetProperty("outOfCourt").GetBoolean(), d.GetProperty("needsAdmission").GetBoolean(), d.GetProperty("needsEvidentialStandard").GetBoolean(),
                d.GetProperty("allowedForDomesticAbuse").GetBoolean(), d.GetProperty("needsOutcomeReason").GetBoolean(), d.GetProperty("conditions").GetBoolean(),
                Text(d, "source")))],
            [.. root.GetProperty("outcomeReasons").EnumerateArray().Select(r => new OutcomeReason(Text(r, "code"), Text(r, "title")))],
            updates.GetProperty("decisionWorkingDays").GetInt32(), updates.GetProperty("intervalDays").GetInt32(), Text(updates, "source"));
    }

    private static string Text(JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";
}
