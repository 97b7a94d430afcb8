namespace Threshold.Domain.Agencies;

/// <summary>
/// A role a user holds in their agency (DESIGN.md, security model). Which agency kinds may
/// hold which role is part of the catalogue below: a triage worker only exists in children's
/// services, an investigator only in a police force.
/// </summary>
public sealed record Role(string Slug, string Title, IReadOnlySet<AgencyKind> Kinds)
{
    private static readonly IReadOnlySet<AgencyKind> Police = new HashSet<AgencyKind> { AgencyKind.Police };
    private static readonly IReadOnlySet<AgencyKind> Council = new HashSet<AgencyKind> { AgencyKind.ChildrenServices };
    private static readonly IReadOnlySet<AgencyKind> Office = new HashSet<AgencyKind> { AgencyKind.Office };
    private static readonly IReadOnlySet<AgencyKind> Any = new HashSet<AgencyKind>(Enum.GetValues<AgencyKind>());

    public static readonly Role ContactHandler = new("contact-handler", "Contact handler", Police);
    public static readonly Role Investigator = new("investigator", "Investigating officer", Police);
    public static readonly Role Supervisor = new("supervisor", "Supervisor", Police);
    public static readonly Role TriageWorker = new("triage-worker", "Triage worker", Council);
    public static readonly Role SocialWorker = new("social-worker", "Social worker", Council);
    public static readonly Role Manager = new("manager", "Team manager", Council);
    public static readonly Role RecordsOfficer = new("records-officer", "Records officer", Council);
    public static readonly Role Caseworker = new("caseworker", "Caseworker", Office);
    public static readonly Role Auditor = new("auditor", "Auditor", Any);
    public static readonly Role Administrator = new("administrator", "Administrator", Any);

    public static IReadOnlyList<Role> All { get; } =
    [
        ContactHandler, Investigator, Supervisor,
        TriageWorker, SocialWorker, Manager, RecordsOfficer,
        Caseworker, Auditor, Administrator,
    ];

    public static bool TryParse(string? slug, out Role role)
    {
        role = All.FirstOrDefault(r => string.Equals(r.Slug, slug, StringComparison.Ordinal))!;
        return role is not null;
    }

    /// <summary>Fails with a plain message when the slug is unknown or the role does not exist in that kind of agency.</summary>
    public static Role ParseFor(string slug, AgencyKind kind)
    {
        if (!TryParse(slug, out var role))
        {
            throw new DomainRuleException("RoleMustBeKnown",
                $"Unknown role '{slug}'. Roles are: {string.Join(", ", All.Select(r => r.Slug))}.");
        }
        if (!role.Kinds.Contains(kind))
        {
            throw new DomainRuleException("RoleMustSuitAgency",
                $"The role '{slug}' does not exist in a {kind.Describe().ToLowerInvariant()} agency; it is for: {string.Join(", ", role.Kinds.Select(k => k.ToSlug()))}.");
        }
        return role;
    }

    public override string ToString() => Slug;
}
