using System.Security.Cryptography;
using Threshold.Storage.Blobs;

namespace Threshold.Harassment;

public sealed class BlobPackTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"threshold-packs-{Guid.NewGuid():n}");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static async Task<byte[]> ReadAllAsync(BlobStore store, string sha)
    {
        await using var stream = store.OpenRead(sha) ?? throw new InvalidOperationException("missing");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Syncs_asked_for_from_many_threads_while_blobs_are_packed_all_complete_and_each_covers_what_was_packed_before_it()
    {
        var store = new BlobStore(_root);
        await store.SyncPackedAsync().WaitAsync(TimeSpan.FromSeconds(10)); // nothing packed yet
        var written = new System.Collections.Concurrent.ConcurrentBag<(string Sha, byte[] Bytes)>();
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                var bytes = RandomNumberGenerator.GetBytes(1 + (w * 977 + i * 131) % 9_000);
                written.Add((store.PutPacked(bytes).Sha256, bytes));
                if (i % 5 == 0)
                {
                    await store.SyncPackedAsync();
                }
            }
            await store.SyncPackedAsync();
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        // After the last sync, another store (as after a restart) finds every blob in the pack files.
        var reader = new BlobStore(_root);
        Assert.Equal(400, written.Count);
        foreach (var (sha, bytes) in written)
        {
            Assert.Equal(bytes, await ReadAllAsync(reader, sha));
        }
    }

    [Fact]
    public async Task A_packed_blob_reads_verifies_and_dedupes_like_a_loose_one_in_this_store_and_another()
    {
        var writer = new BlobStore(_root);
        var first = "first message"u8.ToArray();
        var second = RandomNumberGenerator.GetBytes(70_000);
        var a = writer.PutPacked(first);
        var b = writer.PutPacked(second);
        var again = writer.PutPacked(first);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(first)), a.Sha256);
        Assert.Equal(a, again);
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "packs")));
        Assert.False(File.Exists(writer.PathFor(a.Sha256)));
        Assert.Equal(second, await ReadAllAsync(writer, b.Sha256));
        Assert.True(await writer.VerifyAsync(a.Sha256));

        writer.SyncPacked();
        var reader = new BlobStore(_root);
        Assert.True(reader.Exists(b.Sha256));
        Assert.Equal(first, await ReadAllAsync(reader, a.Sha256));
        Assert.Equal(second, await ReadAllAsync(reader, b.Sha256));
        Assert.False(reader.Exists(new string('0', 64)));
    }

    [Fact]
    public async Task A_torn_record_at_the_end_of_a_pack_is_ignored_and_the_records_before_it_still_read()
    {
        var writer = new BlobStore(_root);
        var kept = writer.PutPacked("kept"u8);
        var torn = writer.PutPacked(RandomNumberGenerator.GetBytes(5_000));
        writer.SyncPacked();
        var pack = Directory.GetFiles(Path.Combine(_root, "packs")).Single();
        using (var file = new FileStream(pack, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            file.SetLength(file.Length - 1000); // a crash while writing the last record
        }

        var reader = new BlobStore(_root);
        Assert.Equal("kept"u8.ToArray(), await ReadAllAsync(reader, kept.Sha256));
        Assert.False(reader.Exists(torn.Sha256));
        Assert.Null(reader.OpenRead(torn.Sha256));
    }
}
