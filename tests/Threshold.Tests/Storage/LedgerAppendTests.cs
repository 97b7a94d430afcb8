using Threshold.Infrastructure;
using Threshold.Storage;
using Threshold.Storage.Ledger;

namespace Threshold.Tests.Storage;

public abstract class LedgerAppendTests(IStorageBackend backend) : StorageTestBase(backend)
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task Appended_events_read_back_exactly_as_written()
    {
        var clock = new FixedClock(new DateTimeOffset(2025, 3, 4, 9, 15, 30, TimeSpan.FromHours(1)).AddTicks(1234567));
        var store = await OpenStoreAsync(clock: clock);
        // Whitespace, key order and non-ASCII text are kept byte for byte: the hash covers the exact bytes.
        const string payload = "{ \"b\": 2,\n  \"a\": \"Café — «Riverside»\" }";

        var result = await store.Ledger.AppendAsync("harbourside-police", "case-1", ExpectedVersion.NoStream,
            [new NewEvent("CaseOpened", payload), new NewEvent("SuspectNamed", "{\"name\":\"Sam\"}")], "dc.hale@police.test");

        Assert.Equal(new AppendResult(1, 2, 2), result);
        var events = await store.Ledger.ReadStreamAsync("case-1");
        Assert.Collection(events,
            e =>
            {
                Assert.Equal((1L, "harbourside-police", 1L, "case-1", 1L), (e.Position, e.AgencyId, e.Sequence, e.StreamId, e.StreamVersion));
                Assert.Equal(("CaseOpened", payload, "dc.hale@police.test"), (e.Type, e.Payload, e.Actor));
                Assert.Equal("2025-03-04T08:15:30.1234567Z", e.RecordedAt);
                Assert.Equal(new byte[32], e.PreviousHash);
                Assert.Equal(ChainHash.Compute(e.AgencyId, 1, "case-1", 1, "CaseOpened", payload, e.Actor, e.RecordedAt, new byte[32]), e.Hash);
            },
            e =>
            {
                Assert.Equal((2L, 2L, 2L), (e.Position, e.Sequence, e.StreamVersion));
                Assert.Equal(events[0].Hash, e.PreviousHash);
            });
        Assert.Equal((2L, "harbourside-police"), await store.Ledger.GetStreamAsync("case-1"));
        Assert.Equal((0L, (string?)null), await store.Ledger.GetStreamAsync("no-such-stream"));
        Assert.Empty(await store.Ledger.ReadStreamAsync("no-such-stream"));
    }

    [Fact]
    public async Task An_append_told_to_wait_commits_only_after_what_it_waits_for_and_nothing_when_that_fails()
    {
        var store = await OpenStoreAsync();
        var blobsOnDisk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var appending = store.Ledger.AppendAsync("harbourside-police", "case-1", ExpectedVersion.NoStream, [Event("A", 1), Event("B", 2)], "a", blobsOnDisk.Task);
        await Task.Delay(200);
        Assert.False(appending.IsCompleted);
        Assert.Equal(0L, (await store.Ledger.GetStreamAsync("case-1")).Version); // written, not yet committed
        blobsOnDisk.SetResult();
        Assert.Equal(2L, (await appending).StreamVersion);

        // A failure of what it waited for is the append's failure: nothing committed, and the ledger goes on.
        var failed = await Assert.ThrowsAsync<IOException>(() =>
            store.Ledger.AppendAsync("harbourside-police", "case-1", 2, [Event("C", 3)], "a", Task.FromException(new IOException("disk full"))));
        Assert.Equal("disk full", failed.Message);
        Assert.Equal(2L, (await store.Ledger.GetStreamAsync("case-1")).Version);
        await store.Ledger.AppendAsync("harbourside-police", "case-1", 2, [Event("C", 3)], "a");
        var verify = await store.Ledger.VerifyAsync();
        Assert.True(verify.Intact, verify.FirstProblem);
        Assert.Equal(3, verify.EventCount);
    }

    [Fact]
    public async Task Chains_are_per_agency_and_positions_are_global()
    {
        var store = await OpenStoreAsync();
        await store.Ledger.AppendAsync("harbourside-police", "case-1", 0, [Event("A", 1)], "a");
        await store.Ledger.AppendAsync("riverside-council", "referral-1", 0, [Event("B", 1)], "b");
        await store.Ledger.AppendAsync("harbourside-police", "case-2", 0, [Event("C", 1)], "a");
        await store.Ledger.AppendAsync("harbourside-police", "case-1", ExpectedVersion.Any, [Event("D", 2)], "a");

        var all = new List<StoredEvent>();
        await foreach (var e in store.Ledger.ReadAllAsync(0))
        {
            all.Add(e);
        }
        Assert.Equal([1L, 2L, 3L, 4L], all.Select(e => e.Position));
        Assert.Equal([1L, 1L, 2L, 3L], all.Select(e => e.Sequence));
        Assert.Equal([1L, 1L, 1L, 2L], all.Select(e => e.StreamVersion));
        Assert.Equal(all[2].Hash, all[3].PreviousHash);
        Assert.Equal(new byte[32], all[1].PreviousHash);

        var after2 = new List<long>();
        await foreach (var e in store.Ledger.ReadAllAsync(2))
        {
            after2.Add(e.Position);
        }
        Assert.Equal([3L, 4L], after2);
    }

    [Fact]
    public async Task Wrong_expected_version_throws_a_conflict_and_writes_nothing()
    {
        var store = await OpenStoreAsync();
        await store.Ledger.AppendAsync("harbourside-police", "case-1", ExpectedVersion.NoStream, [Event("CaseOpened", 1)], "a");

        var stale = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            store.Ledger.AppendAsync("harbourside-police", "case-1", ExpectedVersion.NoStream, [Event("CaseOpened", 2), Event("X", 3)], "b"));
        Assert.Equal(("case-1", 0L, 1L), (stale.StreamId, stale.Expected, stale.Actual));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            store.Ledger.AppendAsync("harbourside-police", "case-1", 5, [Event("X", 2)], "b"));

        Assert.Single(await store.Ledger.ReadStreamAsync("case-1"));
        var verify = await store.Ledger.VerifyAsync();
        Assert.True(verify.Intact, verify.FirstProblem);
        Assert.Equal(1, verify.EventCount);

        // The store is still usable after a refusal.
        await store.Ledger.AppendAsync("harbourside-police", "case-1", 1, [Event("X", 2)], "a");
        Assert.Equal(2, (await store.Ledger.GetStreamAsync("case-1")).Version);
    }

    [Fact]
    public async Task A_stream_owned_by_another_agency_is_refused()
    {
        var store = await OpenStoreAsync();
        await store.Ledger.AppendAsync("harbourside-police", "case-1", 0, [Event("CaseOpened", 1)], "a");

        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            store.Ledger.AppendAsync("riverside-council", "case-1", 1, [Event("Annotated", 2)], "b"));
        Assert.Contains("belongs to agency 'harbourside-police'", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.Ledger.AppendAsync("riverside-council", "case-1", ExpectedVersion.Any, [Event("Annotated", 2)], "b"));

        Assert.Single(await store.Ledger.ReadStreamAsync("case-1"));
        Assert.True((await store.Ledger.VerifyAsync()).Intact);
    }

    [Theory]
    [InlineData("../etc", "case-1", "{}")]
    [InlineData("Harbourside", "case-1", "{}")]
    [InlineData("harbourside-police", "", "{}")]
    [InlineData("harbourside-police", "case-1", "{not json")]
    [InlineData("harbourside-police", "case-1", "{\"a\":\"\0\"}")]
    public async Task Bad_input_is_refused_before_anything_is_written(string agency, string stream, string payload)
    {
        var store = await OpenStoreAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            store.Ledger.AppendAsync(agency, stream, 0, [new NewEvent("CaseOpened", payload)], "a"));
        Assert.Equal(0, (await store.Ledger.VerifyAsync()).EventCount);
    }

    [Fact]
    public async Task A_chains_key_is_created_on_its_first_append_readable_by_the_owner_only()
    {
        var store = await OpenStoreAsync();
        var keyFile = Path.Combine(DataDirectory, "keys", "harbourside-police.key");
        Assert.False(File.Exists(keyFile));

        await store.Ledger.AppendAsync("harbourside-police", "case-1", 0, [Event("CaseOpened", 1)], "a");

        Assert.True(File.Exists(keyFile));
        var key = Convert.FromBase64String((await File.ReadAllTextAsync(keyFile)).Trim());
        Assert.Equal(32, key.Length);
        Assert.Contains(key, b => b != 0);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                File.GetUnixFileMode(Path.GetDirectoryName(keyFile)!));
        }

        // Each agency chain has its own key.
        await store.Ledger.AppendAsync("riverside-council", "referral-1", 0, [Event("ReferralReceived", 1)], "b");
        var other = Convert.FromBase64String((await File.ReadAllTextAsync(Path.Combine(DataDirectory, "keys", "riverside-council.key"))).Trim());
        Assert.NotEqual(key, other);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_configured_key_file_is_used_and_never_created(bool rawBytes)
    {
        var configured = Path.Combine(DataDirectory, "secrets", "police.key");
        var store = await OpenStoreAsync(keyFiles: new Dictionary<string, string> { ["harbourside-police"] = configured });

        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.Ledger.AppendAsync("harbourside-police", "case-1", 0, [Event("CaseOpened", 1)], "a"));
        Assert.Contains(configured, missing.Message, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.GetDirectoryName(configured)!);
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        if (rawBytes)
        {
            await File.WriteAllBytesAsync(configured, key);
        }
        else
        {
            await File.WriteAllTextAsync(configured, Convert.ToBase64String(key) + "\n");
        }
        await store.Ledger.AppendAsync("harbourside-police", "case-1", 0, [Event("CaseOpened", 1)], "a");

        Assert.False(File.Exists(Path.Combine(DataDirectory, "keys", "harbourside-police.key")));
        Assert.True((await store.Ledger.VerifyAsync()).Intact);
        var checkpoint = Assert.Single(await QueryAsync(store, "SELECT sequence, head_hash, signature FROM ledger_checkpoints"));
        Assert.Equal(CheckpointMac.Compute(key, "harbourside-police", 1, (byte[])checkpoint[1]!), (byte[])checkpoint[2]!);
    }

    [Fact]
    public async Task A_key_file_that_is_not_a_256_bit_key_is_refused()
    {
        var configured = Path.Combine(DataDirectory, "secrets", "police.key");
        Directory.CreateDirectory(Path.GetDirectoryName(configured)!);
        await File.WriteAllTextAsync(configured, Convert.ToBase64String(new byte[16]));
        var store = await OpenStoreAsync(keyFiles: new Dictionary<string, string> { ["harbourside-police"] = configured });

        var refused = await Assert.ThrowsAnyAsync<System.Security.Cryptography.CryptographicException>(() =>
            store.Ledger.AppendAsync("harbourside-police", "case-1", 0, [Event("CaseOpened", 1)], "a"));
        Assert.Contains("not a 256-bit key", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await store.Ledger.VerifyAsync()).EventCount);
    }

    [Fact]
    public async Task A_lost_key_is_not_replaced_for_a_chain_that_has_events()
    {
        var store = await OpenStoreAsync();
        await store.Ledger.AppendAsync("harbourside-police", "case-1", 0, [Event("CaseOpened", 1)], "a");
        File.Delete(Path.Combine(DataDirectory, "keys", "harbourside-police.key"));

        // A fresh process has no cached key.
        var reopened = await OpenStoreAsync();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            reopened.Ledger.AppendAsync("harbourside-police", "case-1", 1, [Event("X", 2)], "a"));
        Assert.Contains("Restore the key", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(DataDirectory, "keys", "harbourside-police.key")));

        var verify = await reopened.Ledger.VerifyAsync();
        Assert.False(verify.Intact);
        Assert.Contains("no checkpoint key", verify.FirstProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replaced_key_fails_verification()
    {
        var store = await OpenStoreAsync();
        await store.Ledger.AppendAsync("harbourside-police", "case-1", 0, [Event("CaseOpened", 1)], "a");
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "keys", "harbourside-police.key"),
            Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

        var verify = await store.Ledger.VerifyAsync();
        Assert.False(verify.Intact);
        Assert.Equal("checkpoint MAC invalid: chain recomputed?", verify.FirstProblem);
    }

    [Fact]
    public async Task Reopening_runs_no_migration_twice_and_keeps_the_events()
    {
        var store = await OpenStoreAsync();
        await store.Ledger.AppendAsync("harbourside-police", "case-1", 0, [Event("CaseOpened", 1)], "a");
        var reopened = await OpenStoreAsync();

        var migrations = await QueryAsync(reopened, "SELECT version, name FROM schema_migrations ORDER BY version");
        Assert.Equal(["1 ledger_events", "2 ledger_checkpoints", "3 projection_state"],
            migrations.Select(m => $"{Convert.ToInt64(m[0], System.Globalization.CultureInfo.InvariantCulture)} {m[1]}"));
        Assert.Single(await reopened.Ledger.ReadStreamAsync("case-1"));
        Assert.True(await reopened.PingAsync());
        Assert.Equal(Backend.Kind, reopened.Kind);
    }
}

public sealed class SqliteLedgerAppendTests() : LedgerAppendTests(SqliteBackend.Instance)
{
    [Fact]
    public async Task The_sqlite_file_is_in_WAL_mode_in_the_data_folder()
    {
        var store = await OpenStoreAsync();
        var file = Path.Combine(DataDirectory, "threshold.db");
        Assert.Equal($"SQLite {file}", store.Description);
        var mode = await QueryAsync(store, "PRAGMA journal_mode");
        Assert.Equal("wal", (string?)mode[0][0]);
        var foreignKeys = await QueryAsync(store, "PRAGMA foreign_keys");
        Assert.Equal(1L, foreignKeys[0][0]);
    }
}

[Collection("postgres")]
public sealed class PostgresLedgerAppendTests(PostgresServer server) : LedgerAppendTests(new PostgresBackend(server))
{
    [Fact]
    public async Task A_postgres_url_opens_the_store_and_the_description_hides_the_password()
    {
        var schema = PostgresServer.NewSchemaName("url");
        await using var store = await ThresholdStore.OpenAsync(new StoreOptions
        {
            DataDirectory = DataDirectory,
            Database = $"postgres://postgres:s3cret%21@{server.Host}:{server.Port}/threshold_test",
            Schema = schema,
        });

        Assert.Equal(StoreKind.Postgres, store.Kind);
        Assert.Equal($"PostgreSQL {server.Host}:{server.Port}/threshold_test (schema {schema})", store.Description);
        Assert.DoesNotContain("s3cret", store.Description, StringComparison.Ordinal);
        await store.Ledger.AppendAsync("harbourside-police", "case-1", 0, [Event("CaseOpened", 1)], "a");
        var tables = await QueryAsync(store,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = @schema AND table_name = 'ledger_events'", ("@schema", schema));
        Assert.Equal(1L, tables[0][0]);
        var payloadType = await QueryAsync(store,
            "SELECT data_type FROM information_schema.columns WHERE table_schema = @schema AND table_name = 'ledger_events' AND column_name = 'payload'", ("@schema", schema));
        Assert.Equal("text", payloadType[0][0]);
    }
}
