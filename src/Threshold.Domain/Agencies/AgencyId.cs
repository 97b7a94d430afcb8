using System.Text.RegularExpressions;

namespace Threshold.Domain.Agencies;

/// <summary>
/// An agency's stable id: the slug given to <c>threshold agencies add --id</c>, used in URLs,
/// the API and as the name of the agency's ledger chain.
/// </summary>
public readonly partial record struct AgencyId
{
    /// <summary>The chain that holds records belonging to no single agency (information-sharing agreements).</summary>
    public static readonly AgencyId System = new("system", validated: true);

    private AgencyId(string value, bool validated)
    {
        _ = validated;
        Value = value;
    }

    public string Value { get; }

    public static bool TryParse(string? text, out AgencyId id)
    {
        id = default;
        if (text is null || !SlugPattern().IsMatch(text) || text == System.Value)
        {
            return false;
        }
        id = new AgencyId(text, validated: true);
        return true;
    }

    public static AgencyId Parse(string text) => TryParse(text, out var id)
        ? id
        : throw new DomainRuleException("AgencySlugMustBeValid",
            $"'{text}' is not a valid agency id: use 2–63 lower-case letters, digits and hyphens, starting with a letter (and not 'system').");

    /// <summary>Rebuilds an id read back from the store, where it was validated when written.</summary>
    public static AgencyId FromStored(string value) => new(value, validated: true);

    public override string ToString() => Value;

    [GeneratedRegex("^[a-z][a-z0-9-]{1,62}$")]
    private static partial Regex SlugPattern();
}
