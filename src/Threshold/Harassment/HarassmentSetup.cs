using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Threshold.Harassment.Intake;
using Threshold.Storage;
using Threshold.Storage.Blobs;
using Threshold.Storage.Harassment;
using Threshold.Web;

namespace Threshold.Harassment;

/// <summary>What the harassment log adds to the web application (one call from each place in ThresholdWeb).</summary>
public static class HarassmentSetup
{
    /// <summary>Largest request the log takes: an e-mail with a 50 MB attachment is about 68 MB once base64-encoded.</summary>
    public const long MaxUploadBytes = 100L * 1024 * 1024;

    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<HarassmentQueries>();
        services.AddSingleton(sp => BlobStore.ForDataDirectory(sp.GetRequiredService<ThresholdStore>().DataDirectory));
        services.AddSingleton<HarassmentLog>();
        services.AddSingleton<Correspondents.CaseworkerDecisions>();
    }

    /// <summary>The office's pages are for its caseworkers.</summary>
    public static void Pages(PageConventionCollection conventions) =>
        conventions.AuthorizeFolder("/Harassment", ThresholdWeb.RolePolicy(Domain.Agencies.Role.Caseworker.Slug));
}
