namespace Threshold.Web;

/// <summary>
/// What runs once a change is on the ledger — alerts, disclosures, the integrity check run again, the
/// notice to police: told to each hook in turn. The change is already recorded, so a hook that fails is
/// logged and the others still run; it never turns a recorded change into a failed request.
/// </summary>
public static class AfterRecord
{
    public static async Task TellAsync<THook>(IEnumerable<THook> hooks, Func<THook, Task> tell, ILogger? log, string what)
        where THook : notnull
    {
        foreach (var hook in hooks)
        {
            try
            {
                await tell(hook);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log?.LogError(e, "After {What} was recorded, {Hook} failed", what, hook.GetType().Name);
            }
        }
    }
}
