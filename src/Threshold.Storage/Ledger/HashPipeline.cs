using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Threshold.Storage.Ledger;

/// <summary>
/// Recomputes row hashes on a second core while the verifier keeps reading. The reader encodes each
/// row's <see cref="ChainHash"/> input into a batch next to the row's stored hash; a worker hashes the
/// batches in order and remembers the first row (by scan index) whose stored hash is not its contents'.
/// Reading and hashing each cost about as much as the other, so overlapping them roughly halves verify time.
/// </summary>
internal sealed class HashPipeline
{
    private const int RowsPerBatch = 256;

    private readonly Channel<Batch> _full = Channel.CreateBounded<Batch>(new BoundedChannelOptions(4)
    {
        SingleReader = true,
        SingleWriter = true,
    });

    private readonly ConcurrentQueue<Batch> _free = new();
    private readonly Task<Mismatch?> _worker;
    private Batch _current = new();
    private volatile bool _mismatchFound;

    public HashPipeline() => _worker = Task.Run(HashAsync);

    /// <summary>The first row whose recomputed hash differs from the stored one.</summary>
    public readonly record struct Mismatch(long Index, long Position);

    /// <summary>Set once the worker has found a mismatch: reading further cannot change the outcome.</summary>
    public bool MismatchFound => _mismatchFound;

    /// <summary>True when the current batch should be sent with <see cref="SendAsync"/>.</summary>
    public bool BatchFull => _current.Count == RowsPerBatch;

    /// <summary>A span for the next row's encoded hash input, <paramref name="length"/> bytes long.</summary>
    public Span<byte> Reserve(int length) => _current.Reserve(length);

    /// <summary>Adds the row whose input was just written to <see cref="Reserve"/>'s span.</summary>
    public void Add(int written, long index, long position, ReadOnlySpan<byte> storedHash) =>
        _current.Add(written, index, position, storedHash);

    public async ValueTask SendAsync(CancellationToken ct)
    {
        await _full.Writer.WriteAsync(_current, ct);
        _current = _free.TryDequeue(out var batch) ? batch : new Batch();
    }

    /// <summary>Sends what is left, waits for the worker, and returns the first mismatch (if any).</summary>
    public async Task<Mismatch?> CompleteAsync(CancellationToken ct)
    {
        if (_current.Count > 0)
        {
            await _full.Writer.WriteAsync(_current, ct);
        }
        _full.Writer.Complete();
        return await _worker;
    }

    /// <summary>Stops the worker without waiting for a result (the reader failed).</summary>
    public void Abandon() => _full.Writer.TryComplete();

    private async Task<Mismatch?> HashAsync()
    {
        Mismatch? first = null;
        var digest = new byte[ChainHash.Size];
        // One SHA-256 context reused for every row: cheaper than a one-shot call, which sets one up each time.
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await foreach (var batch in _full.Reader.ReadAllAsync())
        {
            if (first is null)
            {
                first = batch.FirstMismatch(sha256, digest);
                _mismatchFound = first is not null;
            }
            batch.Clear();
            _free.Enqueue(batch);
        }
        return first;
    }

    private sealed class Batch
    {
        private readonly int[] _ends = new int[RowsPerBatch];
        private readonly long[] _indexes = new long[RowsPerBatch];
        private readonly long[] _positions = new long[RowsPerBatch];
        private readonly byte[] _hashes = new byte[RowsPerBatch * ChainHash.Size];
        private byte[] _messages = new byte[RowsPerBatch * 1024];
        private int _used;

        public int Count { get; private set; }

        public Span<byte> Reserve(int length)
        {
            if (_messages.Length - _used < length)
            {
                Array.Resize(ref _messages, Math.Max(_messages.Length * 2, _used + length));
            }
            return _messages.AsSpan(_used, length);
        }

        public void Add(int written, long index, long position, ReadOnlySpan<byte> storedHash)
        {
            _used += written;
            _ends[Count] = _used;
            _indexes[Count] = index;
            _positions[Count] = position;
            storedHash.CopyTo(_hashes.AsSpan(Count * ChainHash.Size, ChainHash.Size));
            Count++;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Mismatch? FirstMismatch(IncrementalHash sha256, byte[] digest)
        {
            var start = 0;
            for (var i = 0; i < Count; i++)
            {
                sha256.AppendData(_messages, start, _ends[i] - start);
                sha256.GetHashAndReset(digest);
                if (!digest.AsSpan().SequenceEqual(_hashes.AsSpan(i * ChainHash.Size, ChainHash.Size)))
                {
                    return new Mismatch(_indexes[i], _positions[i]);
                }
                start = _ends[i];
            }
            return null;
        }

        public void Clear()
        {
            _used = 0;
            Count = 0;
        }
    }
}
