using System.Data.Common;
using System.Globalization;
using Threshold.Infrastructure;
using Threshold.Storage;
using Threshold.Storage.Ledger;

namespace Threshold.Tests.Storage;

public abstract class LedgerConcurrencyTests(IStorageBackend backend) : StorageTestBase(backend)
{
    private const string Police = "harbourside-police";

    /// <summary>Both writers start together with the same expected version; returns who succeeded.</summary>
    private static async Task<bool[]> RaceAsync(ThresholdStore first, ThresholdStore second, long expected)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<bool> Attempt(ThresholdStore store, string who) => Task.Run(async () =>
        {
            await go.Task;
            try
            {
                await store.Ledger.AppendAsync(Police, "case-1", expected, [new NewEvent("NoteAdded", $$"""{"by":"{{who}}","round":{{expected}}}""")], who);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        });
        var attempts = new[] { Attempt(first, "first"), Attempt(second, "second") };
        go.SetResult();
        return await Task.WhenAll(attempts);
    }

    [Fact]
    public async Task Two_connections_appending_at_the_same_version_exactly_one_wins_each_time()
    {
        // Two stores on one database: two processes' worth of connections and write locks.
        var first = await OpenStoreAsync();
        var second = await OpenStoreAsync();
        await first.Ledger.AppendAsync(Police, "case-1", 0, [Event("CaseOpened", 0)], "dc.hale");

        const int rounds = 15;
        for (var round = 1; round <= rounds; round++)
        {
            var outcome = await RaceAsync(first, second, round);
            Assert.Equal(1, outcome.Count(won => won));
        }

        var events = await second.Ledger.ReadStreamAsync("case-1");
        Assert.Equal(Enumerable.Range(1, rounds + 1).Select(v => (long)v), events.Select(e => e.StreamVersion));
        var verify = await first.Ledger.VerifyAsync();
        Assert.True(verify.Intact, verify.FirstProblem);
        Assert.Equal(rounds + 1, verify.EventCount);
    }

    [Fact]
    public async Task Two_tasks_on_one_store_appending_at_the_same_version_exactly_one_wins()
    {
        var store = await OpenStoreAsync();
        await store.Ledger.AppendAsync(Police, "case-1", 0, [Event("CaseOpened", 0)], "dc.hale");

        for (var round = 1; round <= 10; round++)
        {
            var outcome = await RaceAsync(store, store, round);
            Assert.Equal(1, outcome.Count(won => won));
        }

        Assert.Equal(11, (await store.Ledger.GetStreamAsync("case-1")).Version);
        Assert.True((await store.Ledger.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Many_concurrent_writers_lose_nothing_and_positions_stay_dense()
    {
        var stores = new[] { await OpenStoreAsync(), await OpenStoreAsync() };
        var agencies = new[] { Police, "riverside-council", "alex-morgan-office" };
        const int writersPerStore = 3, appendsPerWriter = 12;

        await Task.WhenAll(Enumerable.Range(0, stores.Length * writersPerStore).Select(w => Task.Run(async () =>
        {
            var store = stores[w % stores.Length];
            var agency = agencies[w % agencies.Length];
            for (var i = 0; i < appendsPerWriter; i++)
            {
                await store.Ledger.AppendAsync(agency, $"stream-{w}", i, [Event("NoteAdded", i)], $"writer-{w}");
            }
        })));

        const int total = 2 * writersPerStore * appendsPerWriter;
        var positions = new List<long>();
        await foreach (var e in stores[0].Ledger.ReadAllAsync(0))
        {
            positions.Add(e.Position);
        }
        Assert.Equal(Enumerable.Range(1, total).Select(p => (long)p), positions);
        var verify = await stores[1].Ledger.VerifyAsync();
        Assert.True(verify.Intact, verify.FirstProblem);
        Assert.Equal((total, 3), (verify.EventCount, verify.ChainCount));
    }

    [Fact]
    public async Task Two_stores_taking_turns_on_one_chain_and_stream_keep_it_whole()
    {
        // A writer remembers the heads it last wrote (SQLite: while no other connection has committed);
        // appends from another store in between must be seen, and a refused append must change nothing.
        var first = await OpenStoreAsync();
        var second = await OpenStoreAsync();
        var version = 0L;
        for (var turn = 0; turn < 6; turn++)
        {
            var store = turn % 3 == 2 ? second : first;
            await store.Ledger.AppendAsync("harbourside-police", "case-1", version, [Event("NoteAdded", turn)], "a");
            version++;
            await store.Ledger.AppendAsync("harbourside-police", $"case-{turn + 2}", 0, [Event("CaseOpened", turn)], "a");
            await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
                first.Ledger.AppendAsync("harbourside-police", "case-1", version - 1, [Event("Stale", turn)], "a"));
        }

        var result = await first.Ledger.VerifyAsync();
        Assert.True(result.Intact, result.FirstProblem);
        Assert.Equal(12, result.EventCount);
        Assert.Equal(6, (await second.Ledger.GetStreamAsync("case-1")).Version);
    }

    [Fact]
    public async Task A_unique_violation_on_stream_and_version_is_recognised_as_a_conflict()
    {
        var store = await OpenStoreAsync();
        await store.Ledger.AppendAsync(Police, "case-1", 0, [Event("CaseOpened", 1)], "dc.hale");
        const string insert =
            "INSERT INTO ledger_events (position, agency_id, sequence, stream_id, stream_version, event_type, payload, actor, recorded_at, prev_hash, hash) " +
            "VALUES (@pos, @a, @s, @st, @v, 'X', '{}', 'x', 'x', @h, @h)";
        var zero = new byte[32];

        // A real duplicate (stream_id, stream_version) from the database, as a writer racing without the lock would meet it.
        var clash = await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync(store, insert,
            ("@pos", 50L), ("@a", Police), ("@s", 50L), ("@st", "case-1"), ("@v", 1L), ("@h", zero)));
        Assert.True(store.Database.IsStreamVersionClash(clash));

        // A different unique violation (the chain's sequence) is not mistaken for one.
        var other = await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync(store, insert,
            ("@pos", 51L), ("@a", Police), ("@s", 1L), ("@st", "case-9"), ("@v", 1L), ("@h", zero)));
        Assert.False(store.Database.IsStreamVersionClash(other));
        Assert.Equal(1L, Convert.ToInt64((await QueryAsync(store, "SELECT count(*) FROM ledger_events"))[0][0], CultureInfo.InvariantCulture));
    }
}

public sealed class SqliteLedgerConcurrencyTests() : LedgerConcurrencyTests(SqliteBackend.Instance);

[Collection("postgres")]
public sealed class PostgresLedgerConcurrencyTests(PostgresServer server) : LedgerConcurrencyTests(new PostgresBackend(server));
