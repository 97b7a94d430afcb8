using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Threshold.Storage.Blobs;

/// <summary>A blob's identity: the SHA-256 of its bytes (lower-case hex) and its length.</summary>
public sealed record BlobRef(string Sha256, long Size);

/// <summary>
/// Content-addressed storage for large binary content — raw e-mails, attachments, uploads — which
/// never goes inside event JSON (DESIGN.md, Records). A blob lives at
/// <c>{data}/blobs/ab/cdef…</c>, named by the SHA-256 of its bytes, so storing the same bytes twice
/// keeps one copy and the name itself proves the content. Every blob is written to a temporary
/// file and renamed into place: a reader never sees half a blob, and a crash leaves at most a stray
/// file in <c>blobs/tmp/</c> (cleared on the next open).
/// <para>
/// Bulk writers (a mail import: one raw message per contact) append instead to a pack file of
/// their own, <c>{data}/blobs/packs/{id}.pack</c> — records of a 4-byte mark, the SHA-256, the length
/// and the bytes — because creating a file per blob costs far more than the blob. A packed blob
/// reads, verifies and dedupes like a loose one (<see cref="OpenRead"/>, <see cref="Exists"/>); the
/// writer calls <see cref="SyncPacked"/> before committing the events that name what it appended,
/// so a committed event never names a blob that is not on disk. A crash leaves at most a torn
/// record at the end of a pack, which no event names and the reader ignores.
/// </para>
/// </summary>
public sealed class BlobStore
{
    private const int CopyBuffer = 81920;
    private readonly string _temp;

    // The 256 fan-out folders, once made, are not made again (an import writes one blob per message).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _folders = new(StringComparer.Ordinal);

    private static ReadOnlySpan<byte> PackMark => "TBP1"u8;
    private const int PackHeader = 4 + 32 + 8;
    private const long PackLimit = 1L << 30;
    private readonly string _packs;
    private readonly Lock _packLock = new();
    private readonly Dictionary<string, (string Pack, long Offset, long Length)> _packed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _scanned = new(StringComparer.Ordinal);
    private FileStream? _pack;

    public BlobStore(string root)
    {
        Root = Path.GetFullPath(root);
        _packs = Path.Combine(Root, "packs");
        _temp = Path.Combine(Root, "tmp");
        Directory.CreateDirectory(_temp);
        foreach (var stray in Directory.EnumerateFiles(_temp))
        {
            TryDelete(stray);
        }
    }

    /// <summary>The store of a data folder: <c>{data}/blobs</c>.</summary>
    public static BlobStore ForDataDirectory(string dataDirectory) => new(Path.Combine(dataDirectory, "blobs"));

    public string Root { get; }

    public static bool IsValidHash(string? sha256) =>
        sha256 is { Length: 64 } && sha256.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>Where the blob with this hash lives (whether or not it exists).</summary>
    public string PathFor(string sha256) =>
        IsValidHash(sha256)
            ? Path.Combine(Root, sha256[..2], sha256[2..])
            : throw new ArgumentException("Not a SHA-256 in lower-case hex.", nameof(sha256));

    public bool Exists(string sha256) => IsValidHash(sha256) && (File.Exists(PathFor(sha256)) || FindPacked(sha256) is not null);

    /// <summary>Opens a stored blob for reading, loose or packed, or null when there is none with that hash.</summary>
    public Stream? OpenRead(string sha256)
    {
        if (!IsValidHash(sha256))
        {
            return null;
        }
        var path = PathFor(sha256);
        if (File.Exists(path))
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBuffer, FileOptions.SequentialScan);
        }
        if (FindPacked(sha256) is not { } entry)
        {
            return null;
        }
        lock (_packLock)
        {
            if (_pack is not null && _pack.Name == entry.Pack)
            {
                _pack.Flush();
            }
        }
        var file = new FileStream(entry.Pack, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, CopyBuffer, FileOptions.SequentialScan);
        return new PackSlice(file, entry.Offset, entry.Length);
    }

    /// <summary>
    /// Appends bytes already in memory to this store's own pack file (nothing is written when this store
    /// has packed the same bytes already). Durable only after <see cref="SyncPacked"/>. A loose copy is not
    /// looked for: asking the file system for one cost more than the rest of a small blob's packing, and the
    /// same bytes stored both ways cost only space (reads find either).
    /// </summary>
    public BlobRef PutPacked(ReadOnlySpan<byte> content) => PutPacked(content, FrozenSet<string>.Empty);

    /// <summary>
    /// As <see cref="PutPacked(ReadOnlySpan{byte})"/>, except that bytes whose SHA-256 is in <paramref name="stored"/>
    /// (blobs the caller knows to be stored already, such as the raw messages already in a log) are not written:
    /// an import run again does not pack every message a second time.
    /// </summary>
    public BlobRef PutPacked(ReadOnlySpan<byte> content, IReadOnlySet<string> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(content, hash);
        var sha = Convert.ToHexStringLower(hash);
        if (stored.Contains(sha))
        {
            return new BlobRef(sha, content.Length);
        }
        lock (_packLock)
        {
            // Only what this store has indexed: rescanning other writers' packs for every new blob would cost more than a copy.
            if (_packed.ContainsKey(sha))
            {
                return new BlobRef(sha, content.Length);
            }
            // Position, not Length: a FileStream's Length asks the file system every time, and this runs once per message.
            if (_pack is null || _pack.Position > PackLimit)
            {
                _pack?.Flush(flushToDisk: true);
                _pack?.Dispose();
                Directory.CreateDirectory(_packs);
                var path = Path.Combine(_packs, $"{Guid.NewGuid():N}.pack");
                _pack = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 20);
                _scanned[path] = long.MaxValue; // this store's own pack is indexed as it is written
            }
            Span<byte> header = stackalloc byte[PackHeader];
            PackMark.CopyTo(header);
            hash.CopyTo(header[4..]);
            BinaryPrimitives.WriteInt64LittleEndian(header[36..], content.Length);
            var offset = _pack.Position + PackHeader;
            _pack.Write(header);
            _pack.Write(content);
            _packed[sha] = (_pack.Name, offset, content.Length);
        }
        return new BlobRef(sha, content.Length);
    }

    /// <summary>
    /// Puts everything appended by <see cref="PutPacked(ReadOnlySpan{byte})"/> so far on disk (one fsync). The fsync runs outside
    /// the pack's lock, so writers appending meanwhile (the next batch's messages) do not wait for the disk.
    /// </summary>
    public void SyncPacked()
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        var added = false;
        lock (_packLock)
        {
            if (_pack is null)
            {
                return;
            }
            _pack.Flush(flushToDisk: false);
            handle = _pack.SafeFileHandle;
            // A pack rolled over meanwhile is flushed to disk as it is closed; the reference keeps its handle open until this sync is done.
            handle.DangerousAddRef(ref added);
        }
        try
        {
            RandomAccess.FlushToDisk(handle);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private readonly Lock _syncGate = new();
    private readonly SemaphoreSlim _syncRequested = new(0);
    private TaskCompletionSource? _nextSync;
    private Thread? _syncThread;

    /// <summary>
    /// <see cref="SyncPacked"/> on a thread of the store's own, done when everything appended before the call is on disk.
    /// Calls made while a sync runs share the next one. An fsync waits for the disk: done on a pool thread, it held a
    /// thread that the work that needs the processor could not use.
    /// </summary>
    public Task SyncPackedAsync()
    {
        lock (_syncGate)
        {
            if (_nextSync is { } waiting)
            {
                return waiting.Task;
            }
            var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _nextSync = next;
            if (_syncThread is null)
            {
                _syncThread = new Thread(SyncLoop) { IsBackground = true, Name = "Threshold blob sync" };
                _syncThread.Start();
            }
            _syncRequested.Release();
            return next.Task;
        }
    }

    private void SyncLoop()
    {
        while (true)
        {
            _syncRequested.Wait();
            TaskCompletionSource? sync;
            lock (_syncGate)
            {
                sync = _nextSync;
                _nextSync = null;
            }
            if (sync is null)
            {
                continue;
            }
            try
            {
                SyncPacked();
                sync.SetResult();
            }
            catch (Exception e)
            {
                sync.SetException(e);
            }
        }
    }

    private (string Pack, long Offset, long Length)? FindPacked(string sha256)
    {
        lock (_packLock)
        {
            if (_packed.TryGetValue(sha256, out var entry))
            {
                return entry;
            }
            // Packs written by other processes since the last look: read their new records' headers.
            if (!Directory.Exists(_packs))
            {
                return null;
            }
            foreach (var path in Directory.EnumerateFiles(_packs, "*.pack"))
            {
                ScanPack(path);
            }
            return _packed.TryGetValue(sha256, out entry) ? entry : null;
        }
    }

    private void ScanPack(string path)
    {
        var from = _scanned.GetValueOrDefault(path);
        if (from == long.MaxValue)
        {
            return;
        }
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        var length = file.Length;
        Span<byte> header = stackalloc byte[PackHeader];
        while (from + PackHeader <= length)
        {
            file.Position = from;
            file.ReadExactly(header);
            var size = BinaryPrimitives.ReadInt64LittleEndian(header[36..]);
            if (!header[..4].SequenceEqual(PackMark) || size < 0 || from + PackHeader + size > length)
            {
                break; // a torn record at the end (a crash while writing): nothing names it
            }
            _packed.TryAdd(Convert.ToHexStringLower(header.Slice(4, 32)), (path, from + PackHeader, size));
            from += PackHeader + size;
        }
        _scanned[path] = from;
    }

    /// <summary>Stores bytes already in memory: hashed first, so a blob already stored is not written again.</summary>
    public BlobRef Put(ReadOnlySpan<byte> content)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var target = PathFor(sha);
        if (!File.Exists(target))
        {
            var temp = TempPath();
            using (var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write))
            {
                RandomAccess.Write(handle, content, 0);
            }
            MoveIntoPlace(temp, target);
        }
        return new BlobRef(sha, content.Length);
    }

    /// <summary>
    /// Streams content of any size into the store, hashing as it goes (a 50 MB attachment never sits in
    /// memory), then renames the file to its hash.
    /// </summary>
    public async Task<BlobRef> PutAsync(Stream content, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var temp = TempPath();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                var buffer = new byte[CopyBuffer];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    size += read;
                }
            }
            var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            var target = PathFor(sha);
            if (File.Exists(target))
            {
                TryDelete(temp);
            }
            else
            {
                MoveIntoPlace(temp, target);
            }
            return new BlobRef(sha, size);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Re-hashes a stored blob: true when its bytes still match its name.</summary>
    public async Task<bool> VerifyAsync(string sha256, CancellationToken ct = default)
    {
        await using var stream = OpenRead(sha256);
        if (stream is null)
        {
            return false;
        }
        var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
        return actual == sha256;
    }

    /// <summary>A read-only window on one record of a pack.</summary>
    private sealed class PackSlice(FileStream file, long offset, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => _position = Math.Clamp(value, 0, length);
        }

        public override int Read(byte[] buffer, int offset1, int count) => Read(buffer.AsSpan(offset1, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            if (n <= 0)
            {
                return 0;
            }
            file.Position = offset + _position;
            var read = file.Read(buffer[..n]);
            _position += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            if (n <= 0)
            {
                return 0;
            }
            file.Position = offset + _position;
            var read = await file.ReadAsync(buffer[..n], cancellationToken);
            _position += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset1, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset1, count), cancellationToken).AsTask();

        public override long Seek(long offset1, SeekOrigin origin) =>
            Position = origin switch { SeekOrigin.Begin => offset1, SeekOrigin.Current => _position + offset1, _ => length + offset1 };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset1, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                file.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    private string TempPath() => Path.Combine(_temp, Guid.NewGuid().ToString("N"));

    private void MoveIntoPlace(string temp, string target)
    {
        var folder = Path.GetDirectoryName(target)!;
        if (_folders.TryAdd(folder, true))
        {
            Directory.CreateDirectory(folder);
        }
        try
        {
            // No overwrite: another writer that got there first stored the same bytes.
            File.Move(temp, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            TryDelete(temp);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
