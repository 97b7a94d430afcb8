using System.Data.Common;
using System.Globalization;
using Threshold.Infrastructure;
using Threshold.Storage;
using Threshold.Storage.Ledger;

namespace Threshold.Tests.Storage;

/// <summary>
/// Tampering as an attacker with database access would do it (triggers dropped first), each case caught
/// by <see cref="ILedger.VerifyAsync"/> with the right row and reason. Every test first proves the
/// ledger verifies intact, so a verify that always fails could not pass these tests.
/// </summary>
public abstract class LedgerVerifyTests(IStorageBackend backend) : StorageTestBase(backend)
{
    private const string Police = "harbourside-police";
    private const string Council = "riverside-council";

    /// <summary>Police chain: sequences 1–6 over two streams; council chain: 1–3. Positions interleave.</summary>
    private async Task<ThresholdStore> SeededAsync()
    {
        var store = await OpenStoreAsync();
        await store.Ledger.AppendAsync(Police, "case-1", 0, [Event("CaseOpened", 1)], "dc.hale");
        await store.Ledger.AppendAsync(Council, "referral-1", 0, [Event("ReferralReceived", 1)], "triage");
        await store.Ledger.AppendAsync(Police, "case-2", 0, [Event("CaseOpened", 1), Event("SuspectNamed", 2)], "dc.hale");
        await store.Ledger.AppendAsync(Police, "case-1", 1, [Event("SuspectNamed", 2)], "dc.hale");
        await store.Ledger.AppendAsync(Council, "referral-1", 1, [Event("Triaged", 2), Event("StrategyDiscussion", 3)], "triage");
        await store.Ledger.AppendAsync(Police, "case-1", 2, [Event("VictimViewsRecorded", 3)], "dc.hale");
        await store.Ledger.AppendAsync(Police, "case-2", 2, [Event("DisposalProposed", 3)], "dc.hale");

        var intact = await store.Ledger.VerifyAsync();
        Assert.True(intact.Intact, intact.FirstProblem);
        Assert.Equal((9L, 2), (intact.EventCount, intact.ChainCount));
        Assert.Null(intact.FirstBadEvent);
        return store;
    }

    private static async Task<VerifyResult> AssertCaughtAsync(ThresholdStore store, string problem, string agency, long sequence)
    {
        var result = await store.Ledger.VerifyAsync();
        Assert.False(result.Intact);
        Assert.Contains(problem, result.FirstProblem, StringComparison.Ordinal);
        Assert.NotNull(result.FirstBadEvent);
        Assert.Equal((agency, sequence), (result.FirstBadEvent.AgencyId, result.FirstBadEvent.Sequence));
        return result;
    }

    private static async Task<Row> RowAsync(ThresholdStore store, string agency, long sequence)
    {
        var rows = await QueryAsync(store,
            "SELECT position, stream_id, stream_version, event_type, payload, actor, recorded_at, prev_hash, hash " +
            "FROM ledger_events WHERE agency_id = @agency AND sequence = @sequence", ("@agency", agency), ("@sequence", sequence));
        var r = Assert.Single(rows);
        return new Row(Long(r[0]), agency, sequence, (string)r[1]!, Long(r[2]), (string)r[3]!, (string)r[4]!, (string)r[5]!, (string)r[6]!, (byte[])r[7]!, (byte[])r[8]!);
    }

    private static long Long(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private sealed record Row(long Position, string Agency, long Sequence, string Stream, long Version, string Type, string Payload,
        string Actor, string RecordedAt, byte[] PreviousHash, byte[] Hash);

    [Fact]
    public async Task An_empty_ledger_verifies_intact()
    {
        var store = await OpenStoreAsync();
        Assert.Equal(VerifyResult.Ok(0, 0), await store.Ledger.VerifyAsync());
    }

    [Fact]
    public async Task Triggers_refuse_update_and_delete()
    {
        var store = await SeededAsync();

        var update = await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync(store, "UPDATE ledger_events SET payload = '{}' WHERE sequence = 2"));
        Assert.Contains("ledger_events is append-only", update.Message, StringComparison.Ordinal);
        var delete = await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync(store, "DELETE FROM ledger_events"));
        Assert.Contains("ledger_events is append-only", delete.Message, StringComparison.Ordinal);
        if (IsPostgres)
        {
            var truncate = await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync(store, "TRUNCATE ledger_events"));
            Assert.Contains("ledger_events is append-only", truncate.Message, StringComparison.Ordinal);
        }

        var result = await store.Ledger.VerifyAsync();
        Assert.True(result.Intact, result.FirstProblem);
        Assert.Equal(9, result.EventCount);
    }

    [Fact]
    public async Task Editing_one_payload_byte_is_caught()
    {
        var store = await SeededAsync();
        await DropTriggersAsync(store);
        var row = await RowAsync(store, Police, 4);
        var edited = row.Payload.Replace("\"n\":2", "\"n\":7", StringComparison.Ordinal);
        Assert.NotEqual(row.Payload, edited);

        await ExecuteAsync(store, "UPDATE ledger_events SET payload = @p WHERE position = @pos", ("@p", edited), ("@pos", row.Position));

        await AssertCaughtAsync(store, "hash does not match", Police, 4);
    }

    [Fact]
    public async Task Changing_only_the_payloads_whitespace_is_caught()
    {
        var store = await SeededAsync();
        await DropTriggersAsync(store);
        var row = await RowAsync(store, Council, 2);

        // The same JSON value, spelt differently: still not the bytes that were signed into the chain.
        await ExecuteAsync(store, "UPDATE ledger_events SET payload = @p WHERE position = @pos",
            ("@p", row.Payload.Replace(",", ", ", StringComparison.Ordinal)), ("@pos", row.Position));

        await AssertCaughtAsync(store, "hash does not match", Council, 2);
    }

    [Fact]
    public async Task Deleting_a_middle_row_is_caught()
    {
        var store = await SeededAsync();
        await DropTriggersAsync(store);
        var row = await RowAsync(store, Police, 3);

        await ExecuteAsync(store, "DELETE FROM ledger_events WHERE position = @pos", ("@pos", row.Position));

        var result = await AssertCaughtAsync(store, "row missing before sequence 4", Police, 4);
        Assert.Equal("row missing before sequence 4: the chain jumps from sequence 2 to 4", result.FirstProblem);
    }

    [Fact]
    public async Task Deleting_the_last_row_of_a_chain_is_caught()
    {
        var store = await SeededAsync();
        await DropTriggersAsync(store);
        var row = await RowAsync(store, Police, 6);

        await ExecuteAsync(store, "DELETE FROM ledger_events WHERE position = @pos", ("@pos", row.Position));

        var result = await AssertCaughtAsync(store, "chain truncated", Police, 6);
        Assert.Equal("chain truncated: checkpoint names sequence 6 but the chain ends at 5", result.FirstProblem);
    }

    [Fact]
    public async Task Deleting_every_row_of_a_chain_is_caught()
    {
        var store = await SeededAsync();
        await DropTriggersAsync(store);

        await ExecuteAsync(store, "DELETE FROM ledger_events WHERE agency_id = @agency", ("@agency", Council));

        var result = await AssertCaughtAsync(store, "chain truncated", Council, 1);
        Assert.Equal("chain truncated: checkpoint names sequence 3 but the chain has no events", result.FirstProblem);
    }

    [Fact]
    public async Task Swapping_two_rows_contents_is_caught()
    {
        var store = await SeededAsync();
        await DropTriggersAsync(store);
        var a = await RowAsync(store, Police, 2);
        var b = await RowAsync(store, Police, 3);

        // Every column but position changes places, so each row is internally consistent and the
        // chain's links still hold in sequence order: only the order of the rows betrays the swap.
        await ExecuteAsync(store, "UPDATE ledger_events SET sequence = -sequence, stream_version = -stream_version WHERE position = @pos", ("@pos", a.Position));
        await MoveContentsAsync(store, from: a, toPosition: b.Position);
        await MoveContentsAsync(store, from: b, toPosition: a.Position);

        await AssertCaughtAsync(store, "rows reordered", Police, 3);
    }

    [Fact]
    public async Task Swapping_two_rows_payloads_is_caught()
    {
        var store = await SeededAsync();
        await DropTriggersAsync(store);
        var a = await RowAsync(store, Police, 2);
        var b = await RowAsync(store, Police, 5);

        await ExecuteAsync(store, "UPDATE ledger_events SET payload = @p WHERE position = @pos", ("@p", b.Payload), ("@pos", a.Position));
        await ExecuteAsync(store, "UPDATE ledger_events SET payload = @p WHERE position = @pos", ("@p", a.Payload), ("@pos", b.Position));

        await AssertCaughtAsync(store, "hash does not match", Police, 2);
    }

    [Fact]
    public async Task Altering_a_row_and_rehashing_only_that_row_is_caught_at_that_row()
    {
        var store = await SeededAsync();
        await DropTriggersAsync(store);
        var row = await RowAsync(store, Police, 3);
        var altered = row with { Payload = row.Payload.Replace("abusive", "polite", StringComparison.Ordinal) };

        await RewriteAsync(store, altered, ChainHash.Compute(altered.Agency, altered.Sequence, altered.Stream, altered.Version,
            altered.Type, altered.Payload, altered.Actor, altered.RecordedAt, altered.PreviousHash));

        await AssertCaughtAsync(store, "event altered and its hash recomputed", Police, 3);
    }

    [Fact]
    public async Task Recomputing_a_whole_chain_with_valid_hashes_is_caught_by_the_checkpoint_mac()
    {
        var store = await SeededAsync();
        await DropTriggersAsync(store);
        var head = await RecomputeChainFromAsync(store, Police, 2);
        // A careful attacker also moves the checkpoint to the new head; without the key they cannot compute its MAC.
        await ExecuteAsync(store, "UPDATE ledger_checkpoints SET head_hash = @h WHERE agency_id = @agency", ("@h", head), ("@agency", Police));

        var result = await AssertCaughtAsync(store, "checkpoint MAC invalid", Police, 6);
        Assert.Equal("checkpoint MAC invalid: chain recomputed?", result.FirstProblem);
    }

    [Fact]
    public async Task Recomputing_a_whole_chain_and_a_checkpoint_mac_under_another_key_is_caught()
    {
        var store = await SeededAsync();
        await DropTriggersAsync(store);
        var head = await RecomputeChainFromAsync(store, Police, 2);
        var forgedMac = CheckpointMac.Compute(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), Police, 6, head);
        await ExecuteAsync(store, "UPDATE ledger_checkpoints SET head_hash = @h, signature = @m WHERE agency_id = @agency",
            ("@h", head), ("@m", forgedMac), ("@agency", Police));

        await AssertCaughtAsync(store, "checkpoint MAC invalid", Police, 6);
    }

    [Fact]
    public async Task A_checkpoint_mac_of_the_wrong_length_is_caught_not_thrown()
    {
        var store = await SeededAsync();

        await ExecuteAsync(store, "UPDATE ledger_checkpoints SET signature = @m WHERE agency_id = @agency", ("@m", new byte[64]), ("@agency", Council));

        await AssertCaughtAsync(store, "checkpoint MAC invalid", Council, 3);
    }

    [Fact]
    public async Task Whoever_holds_the_key_can_recompute_a_chain_undetected_as_the_attacker_model_says()
    {
        var store = await SeededAsync();
        await DropTriggersAsync(store);
        var head = await RecomputeChainFromAsync(store, Police, 2);
        var key = Convert.FromBase64String((await File.ReadAllTextAsync(Path.Combine(DataDirectory, "keys", Police + ".key"))).Trim());
        await ExecuteAsync(store, "UPDATE ledger_checkpoints SET head_hash = @h, signature = @m WHERE agency_id = @agency",
            ("@h", head), ("@m", CheckpointMac.Compute(key, Police, 6, head)), ("@agency", Police));

        // The limit the README states: the key is the secret; the database alone is not enough to forge.
        Assert.True((await store.Ledger.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Recomputing_a_whole_chain_and_leaving_the_checkpoint_is_caught()
    {
        var store = await SeededAsync();
        await DropTriggersAsync(store);
        await RecomputeChainFromAsync(store, Police, 2);

        await AssertCaughtAsync(store, "does not match its checkpoint", Police, 6);
    }

    [Fact]
    public async Task Deleting_the_checkpoint_row_is_caught()
    {
        var store = await SeededAsync();

        await ExecuteAsync(store, "DELETE FROM ledger_checkpoints WHERE agency_id = @agency", ("@agency", Council));

        await AssertCaughtAsync(store, "no checkpoint", Council, 3);
    }

    [Fact]
    public async Task A_row_forged_after_the_checkpoint_is_caught()
    {
        var store = await SeededAsync();
        var last = await RowAsync(store, Council, 3);
        var forged = last with { Position = 100, Sequence = 4, Version = 4, Type = "AllegationSubstantiated", PreviousHash = last.Hash };
        var hash = ChainHash.Compute(forged.Agency, forged.Sequence, forged.Stream, forged.Version, forged.Type, forged.Payload,
            forged.Actor, forged.RecordedAt, forged.PreviousHash);

        // Inserting needs no trigger dropped: only the checkpoint stands in the way.
        await ExecuteAsync(store,
            "INSERT INTO ledger_events (position, agency_id, sequence, stream_id, stream_version, event_type, payload, actor, recorded_at, prev_hash, hash) " +
            "VALUES (@pos, @a, @s, @st, @v, @t, @p, @ac, @r, @ph, @h)",
            ("@pos", forged.Position), ("@a", forged.Agency), ("@s", forged.Sequence), ("@st", forged.Stream), ("@v", forged.Version),
            ("@t", forged.Type), ("@p", forged.Payload), ("@ac", forged.Actor), ("@r", forged.RecordedAt), ("@ph", forged.PreviousHash), ("@h", hash));

        await AssertCaughtAsync(store, "row after the checkpoint", Council, 4);
    }

    [Fact]
    public async Task An_edit_deep_in_a_larger_ledger_is_found_at_its_row()
    {
        // Enough rows for verification to hash them in several batches on its second core.
        var store = await OpenStoreAsync();
        for (var append = 0; append < 15; append++)
        {
            var agency = new[] { Police, Council, "alex-morgan-office" }[append % 3];
            await store.Ledger.AppendAsync(agency, $"stream-{append}", 0, [.. Enumerable.Range(1, 60).Select(n => Event("NoteAdded", n))], "clerk");
        }
        var intact = await store.Ledger.VerifyAsync();
        Assert.True(intact.Intact, intact.FirstProblem);
        Assert.Equal((900L, 3), (intact.EventCount, intact.ChainCount));

        await DropTriggersAsync(store);
        var row = await RowAsync(store, Council, 250);
        await ExecuteAsync(store, "UPDATE ledger_events SET actor = 'someone-else' WHERE position = @pos", ("@pos", row.Position));

        var result = await AssertCaughtAsync(store, "hash does not match", Council, 250);
        Assert.Equal(row.Position, result.FirstBadEvent!.Position);
        Assert.Equal((row.Stream, row.Version), (result.FirstBadEvent.StreamId, result.FirstBadEvent.StreamVersion));
    }

    /// <summary>Alters the payload at <paramref name="fromSequence"/> and recomputes every hash from there to the chain's end.</summary>
    private static async Task<byte[]> RecomputeChainFromAsync(ThresholdStore store, string agency, long fromSequence)
    {
        var previous = (await RowAsync(store, agency, fromSequence - 1)).Hash;
        for (var sequence = fromSequence; ; sequence++)
        {
            var exists = await QueryAsync(store, "SELECT 1 FROM ledger_events WHERE agency_id = @a AND sequence = @s", ("@a", agency), ("@s", sequence));
            if (exists.Count == 0)
            {
                return previous;
            }
            var row = await RowAsync(store, agency, sequence);
            if (sequence == fromSequence)
            {
                row = row with { Payload = row.Payload.Replace("abusive", "polite", StringComparison.Ordinal) };
            }
            row = row with { PreviousHash = previous };
            var hash = ChainHash.Compute(row.Agency, row.Sequence, row.Stream, row.Version, row.Type, row.Payload, row.Actor, row.RecordedAt, previous);
            await RewriteAsync(store, row, hash);
            previous = hash;
        }
    }

    private static Task RewriteAsync(ThresholdStore store, Row row, byte[] hash) => ExecuteAsync(store,
        "UPDATE ledger_events SET payload = @p, prev_hash = @ph, hash = @h WHERE position = @pos",
        ("@p", row.Payload), ("@ph", row.PreviousHash), ("@h", hash), ("@pos", row.Position));

    private static Task MoveContentsAsync(ThresholdStore store, Row from, long toPosition) => ExecuteAsync(store,
        "UPDATE ledger_events SET sequence = @s, stream_id = @st, stream_version = @v, event_type = @t, payload = @p, actor = @ac, " +
        "recorded_at = @r, prev_hash = @ph, hash = @h WHERE position = @pos",
        ("@s", from.Sequence), ("@st", from.Stream), ("@v", from.Version), ("@t", from.Type), ("@p", from.Payload), ("@ac", from.Actor),
        ("@r", from.RecordedAt), ("@ph", from.PreviousHash), ("@h", from.Hash), ("@pos", toPosition));
}

public sealed class SqliteLedgerVerifyTests() : LedgerVerifyTests(SqliteBackend.Instance);

[Collection("postgres")]
public sealed class PostgresLedgerVerifyTests(PostgresServer server) : LedgerVerifyTests(new PostgresBackend(server));
