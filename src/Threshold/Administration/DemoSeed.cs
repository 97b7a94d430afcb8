using Threshold.Domain.Agencies;

namespace Threshold.Administration;

/// <summary>
/// The demo world of <c>threshold serve --demo</c>: the three agencies of the acceptance scenario
/// (all fictional), one user per role, and an information-sharing agreement between them.
/// </summary>
public static class DemoSeed
{
    public const string Password = "threshold-demo";
    public const string Actor = "system:demo";

    public sealed record DemoAgency(string Id, string Name, AgencyKind Kind, string Colour);

    public sealed record DemoUser(string Agency, string Email, string Role, string Name, string Phone);

    public static readonly DemoAgency Police = new("harbourside-police", "Harbourside Police", AgencyKind.Police, "#1d3c6e");
    public static readonly DemoAgency Council = new("riverside-council", "Riverside Borough Council children's services", AgencyKind.ChildrenServices, "#00625e");
    public static readonly DemoAgency Office = new("alex-morgan-mp", "Office of Alex Morgan MP", AgencyKind.Office, "#5b2c6f");

    public static IReadOnlyList<DemoAgency> Agencies { get; } = [Police, Council, Office];

    public static IReadOnlyList<DemoUser> Users { get; } =
    [
        new(Police.Id, "contact-handler@harbourside-police.example", "contact-handler", "Robin Ashby", "01632 960101"),
        new(Police.Id, "investigator@harbourside-police.example", "investigator", "DC Sam Hale", "01632 960102"),
        new(Police.Id, "supervisor@harbourside-police.example", "supervisor", "DS Priya Lennox", "01632 960103"),
        new(Police.Id, "auditor@harbourside-police.example", "auditor", "Morgan Tate", "01632 960104"),
        new(Police.Id, "administrator@harbourside-police.example", "administrator", "Chris Dunmore", "01632 960105"),
        new(Council.Id, "triage-worker@riverside-council.example", "triage-worker", "Jo Pemberton", "01632 960201"),
        new(Council.Id, "social-worker@riverside-council.example", "social-worker", "Kim Okafor", "01632 960202"),
        new(Council.Id, "manager@riverside-council.example", "manager", "Ruth Castell", "01632 960203"),
        new(Council.Id, "records-officer@riverside-council.example", "records-officer", "Owen Marsh", "01632 960204"),
        new(Council.Id, "auditor@riverside-council.example", "auditor", "Dana Fielding", "01632 960205"),
        new(Council.Id, "administrator@riverside-council.example", "administrator", "Lee Harrow", "01632 960206"),
        new(Office.Id, "caseworker@alex-morgan-mp.example", "caseworker", "Tess Whitlow", "01632 960301"),
        new(Office.Id, "auditor@alex-morgan-mp.example", "auditor", "Ash Penrose", "01632 960302"),
        new(Office.Id, "administrator@alex-morgan-mp.example", "administrator", "Nat Greaves", "01632 960303"),
    ];

    public static async Task SeedAsync(AdministrationService administration, CancellationToken ct = default)
    {
        foreach (var agency in Agencies)
        {
            await administration.RegisterAgencyAsync(agency.Id, agency.Name, agency.Kind.ToSlug(), agency.Colour, Actor, ct);
        }
        foreach (var user in Users)
        {
            await administration.AddUserAsync(user.Agency, user.Email, user.Role, user.Name, user.Phone, Password, Actor, ct);
        }
        await administration.RecordAgreementAsync([.. Agencies.Select(a => a.Id)], "safeguarding", Actor, ct);
    }
}
