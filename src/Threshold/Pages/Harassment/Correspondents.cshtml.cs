using Threshold.Access;
using Threshold.Storage.Harassment;

namespace Threshold.Pages.Harassment;

/// <summary>The office's correspondents: who has been in touch, how often, and what their contacts were labelled.</summary>
public sealed class CorrespondentsModel(HarassmentQueries queries, ReadGateway gateway) : HarassmentPage
{
    public IReadOnlyList<CorrespondentRow> Correspondents { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Correspondents = await queries.CorrespondentsAsync(Office, ct);
        await gateway.AuditListAsync(Me, "harassment correspondents", ReadChannel.Page, Correspondents.Count, ct);
    }
}
