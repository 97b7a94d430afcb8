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
        services.AddSingleton<Evidence.EvidencePackBuilder>();
        services.AddSingleton<Reports.PoliceReports>();
    }

    /// <summary>The caseworker's navigation items.</summary>
    public static IEnumerable<(string Text, string Href)> Navigation(Access.CurrentUser user) =>
        user.IsIn(Domain.Agencies.Role.Caseworker.Slug)
            ? [("Harassment log", "/harassment"), ("Correspondents", "/harassment/correspondents")]
            : [];

    /// <summary>
    /// The upload form's progress bar, as progressive enhancement: without it the form posts as usual.
    /// Served from here (an external script: the content security policy allows no inline script).
    /// </summary>
    public const string UploadScript = """
        (function () {
          var form = document.querySelector('[data-upload-form]');
          if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
          var bar = form.querySelector('[data-upload-progress]');
          var status = form.querySelector('[data-upload-status]');
          form.addEventListener('submit', function (event) {
            var input = form.querySelector('input[type=file]');
            if (!input || input.files.length === 0) { return; }
            event.preventDefault();
            var request = new XMLHttpRequest();
            request.open('POST', form.action);
            bar.hidden = false; status.hidden = false;
            status.textContent = 'Uploading ' + input.files.length + ' file(s)…';
            request.upload.addEventListener('progress', function (e) {
              if (e.lengthComputable) {
                bar.value = Math.round(100 * e.loaded / e.total);
                status.textContent = 'Uploaded ' + bar.value + '%';
              }
            });
            request.upload.addEventListener('load', function () { status.textContent = 'Reading and logging the messages…'; });
            request.addEventListener('load', function () {
              document.open(); document.write(request.responseText); document.close();
            });
            request.addEventListener('error', function () { form.submit(); });
            request.send(new FormData(form));
          });
        })();
        """;

    public static void MapAssets(WebApplication app) =>
        app.MapGet("/harassment/upload.js", () => Results.Text(UploadScript, "text/javascript; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();

    /// <summary>The office's pages are for its caseworkers.</summary>
    public static void Pages(PageConventionCollection conventions) =>
        conventions.AuthorizeFolder("/Harassment", ThresholdWeb.RolePolicy(Domain.Agencies.Role.Caseworker.Slug));
}
