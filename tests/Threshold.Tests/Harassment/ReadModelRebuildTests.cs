using Dapper;
using Threshold.Harassment.Intake;

namespace Threshold.Harassment;

/// <summary>
/// On the append that writes them, projections are handed the events' in-memory values rather than
/// parsing the JSON just written. A rebuild parses the stored JSON. Both must give the same read model,
/// or what a caseworker sees would depend on whether the store was ever rebuilt.
/// </summary>
public sealed class ReadModelRebuildTests
{
    [Fact]
    public async Task The_harassment_read_model_built_at_import_is_the_one_a_rebuild_from_the_ledger_gives()
    {
        await using var log = await HarassmentStore.CreateAsync();
        // Every edge-case message (forwards, attachments, odd charsets, HTML, broken headers) and the mboxes.
        var results = await log.ImportAsync(Path.Combine(MailImportTests.EdgeCases, "messages"));
        foreach (var mbox in Directory.GetFiles(Path.Combine(MailImportTests.EdgeCases, "mbox")))
        {
            results.AddRange(await log.ImportAsync(mbox));
        }
        Assert.True(results.Count(r => r.Outcome == ContactOutcome.Imported) > 20);

        var before = await SnapshotAsync(log);
        await log.Store.RebuildProjectionsAsync();
        var after = await SnapshotAsync(log);

        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            Assert.Equal(before[i], after[i]);
        }
    }

    private static async Task<List<string>> SnapshotAsync(HarassmentStore log)
    {
        await using var c = await log.Store.OpenConnectionAsync();
        var rows = new List<string>();
        foreach (var (table, key) in new[] { ("harassment_contacts", "contact_id"), ("harassment_labels", "contact_id, label"), ("harassment_correspondents", "correspondent_id") })
        {
            foreach (IDictionary<string, object?> row in await c.QueryAsync($"SELECT * FROM {table} ORDER BY {key}"))
            {
                rows.Add(table + ": " + string.Join(" | ", row.Select(kv => $"{kv.Key}={kv.Value}")));
            }
        }
        return rows;
    }
}
