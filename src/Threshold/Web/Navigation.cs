using Threshold.Access;
using Threshold.Domain.Agencies;

namespace Threshold.Web;

/// <summary>The service navigation each role sees in the header.</summary>
public static class Navigation
{
    public static IReadOnlyList<(string Text, string Href)> For(CurrentUser? user)
    {
        if (user is null)
        {
            return [];
        }
        var items = new List<(string Text, string Href)> { ("Home", "/") };
        if (user.IsIn(Role.Auditor.Slug))
        {
            items.Add(("Audit log", "/audit"));
        }
        items.AddRange(Safeguarding.SafeguardingSetup.Navigation(user));
        items.AddRange(Harassment.HarassmentSetup.Navigation(user));
        items.AddRange(Pages.Police.PolicePages.Navigation(user));
        return items;
    }
}
