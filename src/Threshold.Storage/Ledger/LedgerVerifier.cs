using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Threshold.Storage.Ledger;

/// <summary>
/// Checks every agency chain against its stored bytes and its authenticated checkpoint, and names the first bad row.
/// <para><b>How.</b> One pass over <c>ledger_events</c> in position order (the primary key: one sequential
/// read however many agencies interleave), keeping a small state per chain. Positions rise along an intact
/// chain, so each chain is met in sequence order; any row out of that order is reported. Per row, in this
/// order: its sequence is the next of its chain (else a row is missing, or rows were reordered or
/// duplicated); it is not beyond the chain's checkpoint; its hashes are 32 bytes; its hash matches
/// its contents (recomputed on a second core, see <see cref="HashPipeline"/>); its prev_hash is the hash of
/// the chain's previous row; its stream version follows the stream's previous one. After the pass, per
/// chain: its last row is the checkpoint's sequence and hash, and the checkpoint's MAC is valid under
/// the agency's key.</para>
/// <para>Everything is read in one snapshot (a concurrent append cannot make a chain look truncated) and rows
/// are streamed: memory grows with the number of chains and streams, not events.</para>
/// </summary>
internal sealed class LedgerVerifier(StoreDatabase database, AgencyKeyRing keys)
{
    public async Task<VerifyResult> VerifyAsync(CancellationToken ct)
    {
        await using var snapshot = await database.OpenSnapshotAsync(ct);
        var walk = new Walk(await snapshot.ReadCheckpointsAsync(ct));

        var hashes = new HashPipeline();
        HashPipeline.Mismatch? mismatch;
        try
        {
            await using (var scan = snapshot.Scan())
            {
                while (!hashes.MismatchFound && await scan.ReadAsync(ct))
                {
                    if (walk.Inspect(scan, hashes) is not null)
                    {
                        break;
                    }
                    if (hashes.BatchFull)
                    {
                        await hashes.SendAsync(ct);
                    }
                }
            }
            mismatch = await hashes.CompleteAsync(ct);
        }
        catch
        {
            hashes.Abandon();
            throw;
        }

        // The earliest problem wins; on the same row, the checks made before hashing come first.
        var finding = walk.Finding;
        if (mismatch is { } m && (finding is null || m.Index < finding.Index || (m.Index == finding.Index && !finding.BeforeHash)))
        {
            return walk.Failed("event altered (payload, type, actor, stream or time): its hash does not match its stored contents",
                await snapshot.RowAtAsync(m.Position, ct));
        }
        if (finding is not null)
        {
            var problem = finding.MissingSequence is { } missing
                ? ExplainGap(finding, missing, await snapshot.PositionOfAsync(finding.AgencyId, missing, ct))
                : finding.Problem;
            return walk.Failed(problem, await snapshot.RowAtAsync(finding.Position, ct));
        }
        return await CheckChainEndsAsync(snapshot, walk, ct);
    }

    /// <summary>After the pass: each chain ends where its checkpoint says, and the checkpoint carries a valid MAC under the agency's key.</summary>
    private async Task<VerifyResult> CheckChainEndsAsync(LedgerSnapshot snapshot, Walk walk, CancellationToken ct)
    {
        foreach (var agency in walk.Agencies)
        {
            var chain = walk.Chains.GetValueOrDefault(agency);
            var checkpoint = walk.Checkpoints.GetValueOrDefault(agency);
            var last = chain is null ? 0 : chain.Expected - 1;
            if (checkpoint is null)
            {
                return walk.Failed($"chain has {last} events but no checkpoint: checkpoint deleted?",
                    await snapshot.RowAtAsync(chain!.LastPosition, ct));
            }
            if (checkpoint.Sequence > last)
            {
                var ending = last == 0 ? "the chain has no events" : $"the chain ends at {last}";
                return walk.Failed($"chain truncated: checkpoint names sequence {checkpoint.Sequence} but {ending}",
                    new StoredEventRef(agency, last + 1, null, null, null));
            }
            var head = await snapshot.RowAtAsync(chain!.LastPosition, ct);
            if (!checkpoint.HeadHash.AsSpan().SequenceEqual(chain.PreviousHash))
            {
                return walk.Failed("chain head does not match its checkpoint: chain recomputed?", head);
            }
            var key = keys.VerificationKeyFor(agency, out var keyProblem);
            if (key is null)
            {
                return walk.Failed(keyProblem!, head);
            }
            var valid = CheckpointMac.IsValid(key, agency, checkpoint.Sequence, checkpoint.HeadHash, checkpoint.Mac);
            CryptographicOperations.ZeroMemory(key);
            if (!valid)
            {
                return walk.Failed("checkpoint MAC invalid: chain recomputed?", head);
            }
        }
        return VerifyResult.Ok(walk.Rows, walk.Agencies.Count);
    }

    /// <summary>A sequence came early: the expected row is either gone or further on (rows reordered).</summary>
    private static string ExplainGap(Finding finding, long missing, long? laterPosition) =>
        laterPosition is { } later
            ? $"rows reordered: sequence {finding.Sequence} is at position {finding.Position}, before sequence {missing} at position {later}"
            : missing == 1
                ? $"row missing before sequence {finding.Sequence}: the chain should begin at sequence 1"
                : $"row missing before sequence {finding.Sequence}: the chain jumps from sequence {missing - 1} to {finding.Sequence}";

    /// <summary>A problem the reader found itself (every check but the hash recomputation).</summary>
    /// <param name="Index">The scan index of the row being read when it was found.</param>
    /// <param name="BeforeHash">True for the checks made before the row's hash (they win over a hash mismatch on the same row).</param>
    /// <param name="AgencyId">The chain.</param>
    /// <param name="Sequence">The sequence of the row to name.</param>
    /// <param name="Position">The position of the row to name as the first bad event.</param>
    /// <param name="Problem">The plain sentence (empty when <paramref name="MissingSequence"/> is set).</param>
    /// <param name="MissingSequence">Set when a sequence came early: which one was expected (explained after the pass).</param>
    private sealed record Finding(
        long Index, bool BeforeHash, string AgencyId, long Sequence, long Position, string Problem, long? MissingSequence = null);

    /// <summary>One agency's chain as the pass has met it so far.</summary>
    private sealed class Chain(string agencyId, byte[] agencyUtf8, LedgerSnapshot.Checkpoint? checkpoint)
    {
        public string AgencyId { get; } = agencyId;

        /// <summary>The id as stored: what the hash covers.</summary>
        public byte[] AgencyUtf8 { get; } = agencyUtf8;

        public LedgerSnapshot.Checkpoint? Checkpoint { get; } = checkpoint;

        /// <summary>The sequence the next row must have.</summary>
        public long Expected { get; set; } = 1;

        public long LastPosition { get; set; }

        /// <summary>The stored hash of the last row (the genesis hash before the first).</summary>
        public byte[] PreviousHash { get; } = new byte[ChainHash.Size];
    }

    /// <summary>The state of the pass: chains, streams and the reader's first finding.</summary>
    private sealed class Walk
    {
        /// <summary>Stream id (stored UTF-8 bytes) → last version seen; looked up by span, so a row allocates nothing.</summary>
        private readonly Dictionary<byte[], long> _streamVersions = new(Utf8KeyComparer.Instance);
        private readonly Dictionary<byte[], long>.AlternateLookup<ReadOnlySpan<byte>> _streamLookup;

        /// <summary>The chains met so far, by the agency id's stored bytes.</summary>
        private readonly Dictionary<byte[], Chain> _chains = new(Utf8KeyComparer.Instance);
        private readonly Dictionary<byte[], Chain>.AlternateLookup<ReadOnlySpan<byte>> _chainLookup;
        private Chain? _lastChain;

        public Walk(Dictionary<string, LedgerSnapshot.Checkpoint> checkpoints)
        {
            Checkpoints = checkpoints;
            _streamLookup = _streamVersions.GetAlternateLookup<ReadOnlySpan<byte>>();
            _chainLookup = _chains.GetAlternateLookup<ReadOnlySpan<byte>>();
        }

        public Dictionary<string, LedgerSnapshot.Checkpoint> Checkpoints { get; }

        /// <summary>The chains met so far, by agency id.</summary>
        public Dictionary<string, Chain> Chains { get; } = new(StringComparer.Ordinal);

        /// <summary>Every agency with events or a checkpoint, in ordinal order.</summary>
        public IReadOnlyList<string> Agencies => [.. Chains.Keys.Union(Checkpoints.Keys).Order(StringComparer.Ordinal)];

        public long Rows { get; private set; }

        public Finding? Finding { get; private set; }

        public VerifyResult Failed(string problem, StoredEventRef row) => new(false, Rows, Agencies.Count, problem, row);

        /// <summary>Checks one row and queues its hash input; returns a finding when the row is bad.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Finding? Inspect(LedgerScan scan, HashPipeline hashes)
        {
            var index = Rows++;
            var chain = ChainOf(scan.AgencyId);
            var sequence = scan.Sequence;
            var position = scan.Position;
            if (sequence != chain.Expected)
            {
                return Found(index, true, chain, sequence, position, sequence > chain.Expected
                    ? null
                    : $"sequence {sequence} appears again after sequence {chain.Expected - 1}: rows duplicated or renumbered",
                    sequence > chain.Expected ? chain.Expected : null);
            }
            if (chain.Checkpoint is { } checkpoint && sequence > checkpoint.Sequence)
            {
                return Found(index, true, chain, sequence, position,
                    $"row after the checkpoint (sequence {checkpoint.Sequence}): not appended through the ledger");
            }
            var previousHash = scan.PreviousHash;
            var hash = scan.Hash;
            if (previousHash.Length != ChainHash.Size || hash.Length != ChainHash.Size)
            {
                return Found(index, true, chain, sequence, position, "hash columns damaged: a hash is not 32 bytes");
            }

            var streamId = scan.StreamId;
            var version = scan.StreamVersion;
            var type = scan.EventType;
            var payload = scan.Payload;
            var actor = scan.Actor;
            var recordedAt = scan.RecordedAt;
            var input = hashes.Reserve(ChainHash.EncodedLength(chain.AgencyUtf8.Length, streamId.Length, type.Length, payload.Length, actor.Length, recordedAt.Length));
            var written = ChainHash.Encode(chain.AgencyUtf8, sequence, streamId, version, type, payload, actor, recordedAt, previousHash, input);
            hashes.Add(written, index, position, hash);

            if (!previousHash.SequenceEqual(chain.PreviousHash))
            {
                // This row may be self-consistent, but it does not follow its predecessor: the predecessor
                // was altered and re-hashed (or this row was moved here from elsewhere).
                return sequence == 1
                    ? Found(index, false, chain, sequence, position, "chain does not start from the genesis hash")
                    : Found(index, false, chain, sequence - 1, chain.LastPosition,
                        $"event altered and its hash recomputed: the prev_hash of sequence {sequence} does not match it");
            }
            if (!AdvanceStream(streamId, version, out var lastVersion))
            {
                return Found(index, false, chain, sequence, position,
                    $"stream jumps from version {lastVersion} to {version}: stream rows missing or reordered");
            }
            hash.CopyTo(chain.PreviousHash);
            chain.LastPosition = position;
            chain.Expected++;
            return null;
        }

        private Finding Found(long index, bool beforeHash, Chain chain, long sequence, long position, string? problem, long? missing = null) =>
            Finding = new Finding(index, beforeHash, chain.AgencyId, sequence, position, problem ?? "", missing);

        private Chain ChainOf(ReadOnlySpan<byte> agencyUtf8)
        {
            // Rows of one chain often come in runs (an append of several events).
            if (_lastChain is not null && agencyUtf8.SequenceEqual(_lastChain.AgencyUtf8))
            {
                return _lastChain;
            }
            if (!_chainLookup.TryGetValue(agencyUtf8, out var chain))
            {
                // Ids written through the ledger are slugs; bytes that decode to an id already seen (only
                // possible by tampering) get a distinct name, and their rows fail their hash check.
                var agency = Encoding.UTF8.GetString(agencyUtf8);
                while (Chains.ContainsKey(agency))
                {
                    agency += "\uFFFD";
                }
                chain = new Chain(agency, agencyUtf8.ToArray(), Checkpoints.GetValueOrDefault(agency));
                _chains.Add(chain.AgencyUtf8, chain);
                Chains.Add(agency, chain);
            }
            return _lastChain = chain;
        }

        /// <summary>Moves the stream to <paramref name="version"/> when that is the next version; otherwise reports the last one.</summary>
        private bool AdvanceStream(ReadOnlySpan<byte> streamUtf8, long version, out long lastVersion)
        {
            ref var last = ref CollectionsMarshal.GetValueRefOrAddDefault(_streamLookup, streamUtf8, out _);
            lastVersion = last;
            if (version != last + 1)
            {
                return false;
            }
            last = version;
            return true;
        }
    }

    /// <summary>Compares stream ids as bytes, and finds a stored key from a span without allocating.</summary>
    private sealed class Utf8KeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly Utf8KeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
