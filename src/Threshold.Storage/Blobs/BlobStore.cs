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
/// </summary>
public sealed class BlobStore
{
    private const int CopyBuffer = 81920;
    private readonly string _temp;

    // The 256 fan-out folders, once made, are not made again (an import writes one blob per message).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _folders = new(StringComparer.Ordinal);

    public BlobStore(string root)
    {
        Root = Path.GetFullPath(root);
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

    public bool Exists(string sha256) => IsValidHash(sha256) && File.Exists(PathFor(sha256));

    /// <summary>Opens a stored blob for reading, or null when there is none with that hash.</summary>
    public Stream? OpenRead(string sha256) =>
        Exists(sha256) ? new FileStream(PathFor(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, CopyBuffer, FileOptions.SequentialScan) : null;

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
