namespace Threshold.Domain.Agencies;

/// <summary>The three kinds of organisation Threshold serves.</summary>
public enum AgencyKind
{
    Police,
    ChildrenServices,
    Office,
}

public static class AgencyKinds
{
    /// <summary>The word used on the command line and in the API.</summary>
    public static string ToSlug(this AgencyKind kind) => kind switch
    {
        AgencyKind.Police => "police",
        AgencyKind.ChildrenServices => "children-services",
        AgencyKind.Office => "office",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string? text, out AgencyKind kind)
    {
        foreach (var candidate in Enum.GetValues<AgencyKind>())
        {
            if (string.Equals(candidate.ToSlug(), text, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }

    public static string Describe(this AgencyKind kind) => kind switch
    {
        AgencyKind.Police => "Police force",
        AgencyKind.ChildrenServices => "Children's services",
        AgencyKind.Office => "Office",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
