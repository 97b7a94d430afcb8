using Threshold.Infrastructure;
using Threshold.Storage;
using Threshold.Storage.Ledger;

namespace Threshold.Tests.Storage;

public abstract class ProjectionTests(IStorageBackend backend) : StorageTestBase(backend)
{
    private const string Police = "harbourside-police";

    /// <summary>A small real read model: events per stream and the last event's type.</summary>
    private sealed class StreamCounts(int version = 1) : IProjection
    {
        public string Name => "test_stream_counts";

        public int Version => version;

        public const string AgencyIndex = "CREATE INDEX IF NOT EXISTS test_stream_counts_agency ON test_stream_counts (agency_id)";

        public IReadOnlyList<string> Schema { get; } =
        [
            "CREATE TABLE IF NOT EXISTS test_stream_counts (stream_id TEXT PRIMARY KEY, agency_id TEXT NOT NULL, events BIGINT NOT NULL, last_type TEXT NOT NULL)",
            AgencyIndex,
        ];

        public IReadOnlyList<string> Tables { get; } = ["test_stream_counts"];

        public Task ApplyAsync(StoredEvent e, ProjectionWriter writer, CancellationToken ct)
        {
            if (e.Type == "Poison")
            {
                throw new InvalidOperationException("This projection cannot take a Poison event.");
            }
            return writer.ExecuteAsync(
                "INSERT INTO test_stream_counts (stream_id, agency_id, events, last_type) VALUES (@s, @a, 1, @t) " +
                "ON CONFLICT (stream_id) DO UPDATE SET events = test_stream_counts.events + 1, last_type = excluded.last_type",
                ct, ("@s", e.StreamId), ("@a", e.AgencyId), ("@t", e.Type));
        }
    }

    private static async Task<List<string>> CountsAsync(ThresholdStore store) =>
        (await QueryAsync(store, "SELECT stream_id, agency_id, events, last_type FROM test_stream_counts ORDER BY stream_id"))
        .Select(r => string.Join('|', r)).ToList();

    private static async Task<(long Version, long Position)> StateAsync(ThresholdStore store)
    {
        var row = Assert.Single(await QueryAsync(store, "SELECT version, position FROM projection_state WHERE name = 'test_stream_counts'"));
        return (Convert.ToInt64(row[0], System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task SeedAsync(ThresholdStore store)
    {
        await store.Ledger.AppendAsync(Police, "case-1", 0, [Event("CaseOpened", 1), Event("SuspectNamed", 2)], "dc.hale");
        await store.Ledger.AppendAsync("riverside-council", "referral-1", 0, [Event("ReferralReceived", 1)], "triage");
        await store.Ledger.AppendAsync(Police, "case-1", 2, [Event("VictimViewsRecorded", 3)], "dc.hale");
    }

    private static async Task<bool> IndexExistsAsync(ThresholdStore store, string name) =>
        Convert.ToInt64(Assert.Single(await QueryAsync(store, store.Kind == StoreKind.Postgres
            ? "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = @n"
            : "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = @n", ("@n", name)))[0], System.Globalization.CultureInfo.InvariantCulture) == 1;

    [Fact]
    public async Task An_index_suspended_for_a_bulk_load_is_made_again_when_released_or_at_the_next_open()
    {
        var store = await OpenStoreAsync([new StreamCounts()]);
        await SeedAsync(store);
        Assert.True(await IndexExistsAsync(store, "test_stream_counts_agency"));

        var suspended = await store.SuspendIndexAsync(StreamCounts.AgencyIndex);
        Assert.False(await IndexExistsAsync(store, "test_stream_counts_agency"));
        await store.Ledger.AppendAsync(Police, "case-2", 0, [Event("CaseOpened", 1)], "dc.hale"); // the read model is still kept
        Assert.Contains($"case-2|{Police}|1|CaseOpened", await CountsAsync(store));
        await suspended.DisposeAsync();
        await suspended.DisposeAsync(); // once is enough
        Assert.True(await IndexExistsAsync(store, "test_stream_counts_agency"));

        // Suspended, and the process ends before it is made again: the next open makes it.
        await store.SuspendIndexAsync(StreamCounts.AgencyIndex);
        Assert.False(await IndexExistsAsync(store, "test_stream_counts_agency"));
        var reopened = await OpenStoreAsync([new StreamCounts()]);
        Assert.True(await IndexExistsAsync(reopened, "test_stream_counts_agency"));

        // Only an index a projection's own schema makes can be suspended.
        await Assert.ThrowsAsync<ArgumentException>(() => store.SuspendIndexAsync("CREATE INDEX IF NOT EXISTS ledger_by_type ON ledger_events (event_type)"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SuspendIndexAsync("DROP TABLE ledger_events"));
    }

    [Fact]
    public async Task A_projection_is_applied_in_the_append_transaction()
    {
        var store = await OpenStoreAsync([new StreamCounts()]);
        await SeedAsync(store);

        Assert.Equal(["case-1|harbourside-police|3|VictimViewsRecorded", "referral-1|riverside-council|1|ReferralReceived"], await CountsAsync(store));
        Assert.Equal((1L, 4L), await StateAsync(store));
    }

    [Fact]
    public async Task A_failing_projection_rolls_the_whole_append_back()
    {
        var store = await OpenStoreAsync([new StreamCounts()]);
        await SeedAsync(store);
        var before = await CountsAsync(store);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.Ledger.AppendAsync(Police, "case-2", 0, [Event("CaseOpened", 1), new NewEvent("Poison", "{}")], "dc.hale"));

        Assert.Empty(await store.Ledger.ReadStreamAsync("case-2"));
        Assert.Equal(before, await CountsAsync(store));
        Assert.Equal((1L, 4L), await StateAsync(store));
        var verify = await store.Ledger.VerifyAsync();
        Assert.True(verify.Intact, verify.FirstProblem);
        Assert.Equal(4, verify.EventCount);

        // The next append goes through on a fresh connection.
        await store.Ledger.AppendAsync(Police, "case-2", 0, [Event("CaseOpened", 1)], "dc.hale");
        Assert.Contains("case-2|harbourside-police|1|CaseOpened", await CountsAsync(store));
    }

    [Fact]
    public async Task Rebuilding_from_scratch_gives_the_same_content()
    {
        var store = await OpenStoreAsync([new StreamCounts()]);
        await SeedAsync(store);
        var applied = await CountsAsync(store);
        await ExecuteAsync(store, "UPDATE test_stream_counts SET events = 99");
        await ExecuteAsync(store, "INSERT INTO test_stream_counts VALUES ('stray', 'nobody', 1, 'X')");
        Assert.NotEqual(applied, await CountsAsync(store));

        await store.RebuildProjectionsAsync();

        Assert.Equal(applied, await CountsAsync(store));
        Assert.Equal((1L, 4L), await StateAsync(store));
    }

    [Fact]
    public async Task A_new_projection_version_is_rebuilt_on_open()
    {
        var store = await OpenStoreAsync([new StreamCounts(version: 1)]);
        await SeedAsync(store);
        var applied = await CountsAsync(store);
        await ExecuteAsync(store, "DELETE FROM test_stream_counts WHERE stream_id = 'case-1'");

        var reopenedSameVersion = await OpenStoreAsync([new StreamCounts(version: 1)]);
        Assert.NotEqual(applied, await CountsAsync(reopenedSameVersion));

        var reopened = await OpenStoreAsync([new StreamCounts(version: 2)]);
        Assert.Equal(applied, await CountsAsync(reopened));
        Assert.Equal((2L, 4L), await StateAsync(reopened));
    }

    /// <summary>Version 2 of the read model: the NOT NULL last_type column is gone, a first_seen column is new.</summary>
    private sealed class StreamCountsReshaped : IProjection
    {
        public string Name => "test_stream_counts";

        public int Version => 2;

        public IReadOnlyList<string> Schema { get; } =
        [
            "CREATE TABLE IF NOT EXISTS test_stream_counts (stream_id TEXT PRIMARY KEY, agency_id TEXT NOT NULL, events BIGINT NOT NULL, first_seen BIGINT NOT NULL)",
        ];

        public IReadOnlyList<string> Tables { get; } = ["test_stream_counts"];

        public Task ApplyAsync(StoredEvent e, ProjectionWriter writer, CancellationToken ct) =>
            writer.ExecuteAsync(
                "INSERT INTO test_stream_counts (stream_id, agency_id, events, first_seen) VALUES (@s, @a, 1, @p) " +
                "ON CONFLICT (stream_id) DO UPDATE SET events = test_stream_counts.events + 1",
                ct, ("@s", e.StreamId), ("@a", e.AgencyId), ("@p", e.Position));
    }

    [Fact]
    public async Task A_new_version_with_changed_columns_gets_its_tables_made_again()
    {
        var store = await OpenStoreAsync([new StreamCounts(version: 1)]);
        await SeedAsync(store);

        // CREATE TABLE IF NOT EXISTS alone would keep the old table, and the insert would fail on last_type.
        var reopened = await OpenStoreAsync([new StreamCountsReshaped()]);
        var rows = (await QueryAsync(reopened, "SELECT stream_id, events, first_seen FROM test_stream_counts ORDER BY stream_id")).Select(r => string.Join('|', r));
        Assert.Equal(["case-1|3|1", "referral-1|1|3"], rows);
        await reopened.Ledger.AppendAsync(Police, "case-9", 0, [Event("CaseOpened", 1)], "dc.hale");
        Assert.Equal((2L, 5L), await StateAsync(reopened));
    }

    [Fact]
    public async Task Events_appended_by_another_process_without_the_projection_are_caught_up()
    {
        var server = await OpenStoreAsync([new StreamCounts()]);
        var cli = await OpenStoreAsync(); // a command that knows no read models
        await SeedAsync(cli);

        // The server's next append first replays what it missed, in the same transaction.
        await server.Ledger.AppendAsync(Police, "case-1", 3, [Event("DisposalProposed", 4)], "dc.hale");
        Assert.Equal(["case-1|harbourside-police|4|DisposalProposed", "referral-1|riverside-council|1|ReferralReceived"], await CountsAsync(server));

        // And a store opened later catches up on start.
        await cli.Ledger.AppendAsync("riverside-council", "referral-1", 1, [Event("Triaged", 2)], "triage");
        var later = await OpenStoreAsync([new StreamCounts()]);
        Assert.Contains("referral-1|riverside-council|2|Triaged", await CountsAsync(later));
        Assert.Equal((1L, 6L), await StateAsync(later));
    }
}

public sealed class SqliteProjectionTests() : ProjectionTests(SqliteBackend.Instance);

[Collection("postgres")]
public sealed class PostgresProjectionTests(PostgresServer server) : ProjectionTests(new PostgresBackend(server));
