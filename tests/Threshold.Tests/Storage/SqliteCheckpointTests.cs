using Threshold.Storage.Ledger;

namespace Threshold.Tests.Storage;

/// <summary>
/// On SQLite the ledger's writer leaves checkpoints (copying the WAL back into the database file) to a
/// checkpointer on another connection, started after its commits.
/// </summary>
public sealed class SqliteCheckpointTests() : StorageTestBase(SqliteBackend.Instance)
{
    [Fact]
    public async Task Commits_are_copied_into_the_database_file_without_the_writer_stopping_for_it()
    {
        var store = await OpenStoreAsync();
        var file = new FileInfo(Path.Combine(DataDirectory, "threshold.db"));
        file.Refresh();
        var before = file.Length;

        // 4,224 events, about 9 MB: past the 4,096 events that start a checkpoint, far below the writer's own
        // checkpoint (128 MB of WAL), so only the checkpointer copies them.
        var body = new string('x', 2_000);
        for (var i = 0; i < 66; i++)
        {
            var events = Enumerable.Range(0, 64).Select(n => new NewEvent("BulkNote", $$"""{"n":{{n}},"text":"{{body}}"}""")).ToArray();
            await store.Ledger.AppendAsync("harbourside-police", "bulk-1", i * 64, events, "loader");
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            file.Refresh();
            if (file.Length > before + (4 << 20) || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(50);
        }
        Assert.True(file.Length > before + (4 << 20), $"the database file grew from {before:N0} only to {file.Length:N0} bytes");
        var verify = await store.Ledger.VerifyAsync();
        Assert.True(verify.Intact, verify.FirstProblem);
        Assert.Equal(66 * 64, verify.EventCount);
    }
}
