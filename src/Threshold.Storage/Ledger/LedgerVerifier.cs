using System.Data.Common;
using System.Runtime.InteropServices;
using System.Text;

namespace Threshold.Storage.Ledger;

/// <summary>
/// Walks every agency chain in sequence order, recomputing each hash from the stored bytes, and checks
/// the chain's end against its signed checkpoint. Stops at the first problem and names the row.
/// <para>Per row, in this order: the sequence follows the previous one (a gap is a deleted row); the row
/// is not beyond the signed checkpoint; its position is after the previous row's (rows were not
/// reordered); its hash matches its contents; its prev_hash is the previous row's hash; its stream
/// version follows the stream's previous version. At the end: the chain's last row is the checkpoint's
/// sequence and hash, and the checkpoint's signature is valid under the agency's key.</para>
/// <para>Everything is read in one snapshot (a concurrent append cannot make a chain look truncated),
/// and rows are streamed: memory grows with the number of streams in a chain, not with its events.</para>
/// </summary>
internal sealed class LedgerVerifier(StoreDatabase database, AgencyKeyRing keys)
{
    private sealed record Checkpoint(long Sequence, byte[] HeadHash, byte[] Signature);

    /// <summary>A chain's walk: how many rows it read, and the first problem if there was one.</summary>
    private readonly record struct ChainOutcome(long Events, string? Problem, StoredEventRef? BadEvent);

    public async Task<VerifyResult> VerifyAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await database.BeginSnapshotAsync(connection, ct);
        var checkpoints = await ReadCheckpointsAsync(connection, transaction, ct);
        var agencies = await ReadChainAgenciesAsync(connection, transaction, ct);
        agencies.UnionWith(checkpoints.Keys);
        var ordered = agencies.Order(StringComparer.Ordinal).ToList();

        long events = 0;
        foreach (var agency in ordered)
        {
            var outcome = await VerifyChainAsync(connection, transaction, agency, checkpoints.GetValueOrDefault(agency), ct);
            events += outcome.Events;
            if (outcome.Problem is not null)
            {
                return new VerifyResult(false, events, ordered.Count, outcome.Problem, outcome.BadEvent);
            }
        }
        return VerifyResult.Ok(events, ordered.Count);
    }

    private async Task<ChainOutcome> VerifyChainAsync(
        DbConnection connection, DbTransaction transaction, string agency, Checkpoint? checkpoint, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // Text columns are read as their stored bytes and hashed as they are: nothing is decoded and re-encoded.
        command.CommandText = $"""
            SELECT position, sequence, stream_id, stream_version, {database.StoredBytes("stream_id")},
                   {database.StoredBytes("event_type")}, {database.StoredBytes("payload")}, {database.StoredBytes("actor")},
                   {database.StoredBytes("recorded_at")}, prev_hash, hash
            FROM ledger_events WHERE agency_id = @agency ORDER BY sequence
            """;
        EventRows.Parameter(command, "@agency", agency);

        var agencyBytes = Encoding.UTF8.GetBytes(agency);
        var streamVersions = new Dictionary<string, long>(StringComparer.Ordinal);
        var scratch = new byte[2048];
        var computed = new byte[ChainHash.Size];
        byte[] previousHash = ChainHash.Genesis.ToArray();
        StoredEventRef? previous = null;
        long expected = 1;
        long lastPosition = long.MinValue;
        long count = 0;

        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var position = r.GetInt64(0);
                var sequence = r.GetInt64(1);
                var stream = r.GetString(2);
                var version = r.GetInt64(3);
                var here = new StoredEventRef(agency, sequence, position, stream, version);
                count++;

                if (sequence != expected)
                {
                    return new(count, sequence > expected
                        ? expected == 1
                            ? $"row missing before sequence {sequence}: the chain should begin at sequence 1"
                            : $"row missing before sequence {sequence}: the chain jumps from sequence {expected - 1} to {sequence}"
                        : $"sequence {sequence} appears again after sequence {expected - 1}: rows duplicated or renumbered", here);
                }
                if (checkpoint is not null && sequence > checkpoint.Sequence)
                {
                    return new(count, $"row after the signed checkpoint (sequence {checkpoint.Sequence}): not appended through the ledger", here);
                }
                if (position <= lastPosition)
                {
                    return new(count, $"rows reordered: position {position} comes before position {lastPosition} of the previous row in the chain", here);
                }
                var storedPrevious = r.GetFieldValue<byte[]>(9);
                var storedHash = r.GetFieldValue<byte[]>(10);
                if (storedPrevious.Length != ChainHash.Size || storedHash.Length != ChainHash.Size)
                {
                    return new(count, "hash columns damaged: a hash is not 32 bytes", here);
                }
                ChainHash.Compute(
                    agencyBytes, sequence, r.GetFieldValue<byte[]>(4), version, r.GetFieldValue<byte[]>(5),
                    r.GetFieldValue<byte[]>(6), r.GetFieldValue<byte[]>(7), r.GetFieldValue<byte[]>(8),
                    storedPrevious, ref scratch, computed);
                if (!computed.AsSpan().SequenceEqual(storedHash))
                {
                    return new(count, "event altered (payload, type, actor, stream or time): its hash does not match its stored contents", here);
                }
                if (!storedPrevious.AsSpan().SequenceEqual(previousHash))
                {
                    // This row is self-consistent but does not follow its predecessor: the predecessor was
                    // altered and re-hashed (or this row was moved here from elsewhere).
                    return previous is null
                        ? new(count, "chain does not start from the genesis hash: rows before it were removed", here)
                        : new(count, $"event altered and its hash recomputed: the prev_hash of sequence {sequence} does not match it", previous);
                }
                ref var lastVersion = ref CollectionsMarshal.GetValueRefOrAddDefault(streamVersions, stream, out _);
                if (version != lastVersion + 1)
                {
                    return new(count, $"stream '{stream}' jumps from version {lastVersion} to {version}: stream rows missing or reordered", here);
                }
                lastVersion = version;
                previousHash = storedHash;
                previous = here;
                lastPosition = position;
                expected++;
            }
        }

        var last = expected - 1;
        if (checkpoint is null)
        {
            return new(count, $"chain has {last} events but no signed checkpoint: checkpoint deleted?", previous);
        }
        if (checkpoint.Sequence > last)
        {
            var ending = last == 0 ? "the chain has no events" : $"the chain ends at {last}";
            return new(count, $"chain truncated: checkpoint names sequence {checkpoint.Sequence} but {ending}",
                new StoredEventRef(agency, last + 1, null, null, null));
        }
        if (!checkpoint.HeadHash.AsSpan().SequenceEqual(previousHash))
        {
            return new(count, "chain head does not match its signed checkpoint: chain recomputed?", previous);
        }
        using var key = keys.VerificationKeyFor(agency, out var keyProblem);
        if (key is null)
        {
            return new(count, keyProblem, previous);
        }
        if (!CheckpointSignature.IsValid(key, agency, checkpoint.Sequence, checkpoint.HeadHash, checkpoint.Signature))
        {
            return new(count, "checkpoint signature invalid: chain recomputed?", previous);
        }
        return new(count, null, null);
    }

    private static async Task<Dictionary<string, Checkpoint>> ReadCheckpointsAsync(
        DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT agency_id, sequence, head_hash, signature FROM ledger_checkpoints";
        var checkpoints = new Dictionary<string, Checkpoint>(StringComparer.Ordinal);
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            checkpoints[r.GetString(0)] = new Checkpoint(r.GetInt64(1), r.GetFieldValue<byte[]>(2), r.GetFieldValue<byte[]>(3));
        }
        return checkpoints;
    }

    /// <summary>The distinct agencies in ledger_events, found by hopping along the (agency_id, sequence) index rather than scanning it.</summary>
    private static async Task<HashSet<string>> ReadChainAgenciesAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            WITH RECURSIVE chains(agency_id) AS (
                SELECT MIN(agency_id) FROM ledger_events
                UNION ALL
                SELECT (SELECT MIN(e.agency_id) FROM ledger_events e WHERE e.agency_id > chains.agency_id)
                FROM chains WHERE chains.agency_id IS NOT NULL
            )
            SELECT agency_id FROM chains WHERE agency_id IS NOT NULL
            """;
        var agencies = new HashSet<string>(StringComparer.Ordinal);
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            agencies.Add(r.GetString(0));
        }
        return agencies;
    }
}
