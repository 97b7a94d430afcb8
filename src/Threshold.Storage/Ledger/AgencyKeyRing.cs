using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Threshold.Storage.Ledger;

/// <summary>
/// The agencies' checkpoint keys: one random 256-bit secret per agency chain, for HMAC-SHA256
/// (<see cref="CheckpointMac"/>). A key file holds the key as one line of base64 (44 characters), or as
/// exactly 32 raw bytes. A key named in configuration (<c>StoreOptions.AgencyKeyFiles</c>) is used as it is
/// and never created; otherwise the key lives in <c>{data}/keys/{agency}.key</c> and is created (mode 600,
/// folder mode 700) on the chain's first append. A missing key for a chain that already has events is an
/// error, never a reason to start a new key: a fresh key would vouch for whatever the table holds now.
/// </summary>
internal sealed class AgencyKeyRing(string keysDirectory, IReadOnlyDictionary<string, string>? configured) : IDisposable
{
    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public string PathFor(string agencyId) =>
        configured is not null && configured.TryGetValue(agencyId, out var path)
            ? Path.GetFullPath(path)
            : Path.Combine(keysDirectory, agencyId + ".key");

    private bool IsConfigured(string agencyId) => configured?.ContainsKey(agencyId) == true;

    /// <summary>The key that authenticates <paramref name="agencyId"/>'s checkpoints, created when the chain is still empty.</summary>
    public byte[] KeyFor(string agencyId, bool chainIsEmpty)
    {
        if (_keys.TryGetValue(agencyId, out var cached))
        {
            return cached;
        }
        var path = PathFor(agencyId);
        byte[] key;
        if (File.Exists(path))
        {
            key = Load(agencyId, path);
        }
        else if (IsConfigured(agencyId))
        {
            throw new InvalidOperationException(
                $"The checkpoint key configured for agency '{agencyId}' was not found at '{path}'. Restore it, or correct the configuration.");
        }
        else if (!chainIsEmpty)
        {
            throw new InvalidOperationException(
                $"The checkpoint key of agency '{agencyId}' is missing from '{path}' but its chain already has events. " +
                "Restore the key from backup: a new key would vouch for whatever the table now holds." + LegacyNote(agencyId));
        }
        else
        {
            key = CreateKeyFile(agencyId, path);
        }
        return _keys.GetOrAdd(agencyId, key);
    }

    /// <summary>
    /// The key read afresh from its file for checking checkpoints (verification stays independent of the
    /// append path's cache), or null with the reason when it cannot be read. The caller zeroes it after use.
    /// </summary>
    public byte[]? VerificationKeyFor(string agencyId, out string? problem)
    {
        var path = PathFor(agencyId);
        if (!File.Exists(path))
        {
            problem = $"no checkpoint key for agency '{agencyId}' at '{path}': its checkpoint cannot be checked" + LegacyNote(agencyId);
            return null;
        }
        try
        {
            problem = null;
            return Load(agencyId, path);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            problem = $"the checkpoint key of agency '{agencyId}' at '{path}' cannot be read: {e.Message}";
            return null;
        }
    }

    /// <summary>Stores made before checkpoints were MACs kept an ECDSA key in <c>{agency}.pem</c>: say so rather than leave the operator guessing.</summary>
    private string LegacyNote(string agencyId) =>
        !IsConfigured(agencyId) && File.Exists(Path.Combine(keysDirectory, agencyId + ".pem"))
            ? $" (This store's checkpoints were signed with the older ECDSA key '{agencyId}.pem'; that format is no longer read: recreate the store.)"
            : "";

    private static byte[] Load(string agencyId, string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == CheckpointMac.KeySize)
        {
            return bytes;
        }
        try
        {
            var key = Convert.FromBase64String(Encoding.ASCII.GetString(bytes).Trim());
            if (key.Length == CheckpointMac.KeySize)
            {
                return key;
            }
            CryptographicOperations.ZeroMemory(key);
        }
        catch (FormatException)
        {
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
        throw new CryptographicException(
            $"The checkpoint key of agency '{agencyId}' at '{path}' is not a 256-bit key (one line of base64, or 32 raw bytes).");
    }

    private static byte[] CreateKeyFile(string agencyId, string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var key = RandomNumberGenerator.GetBytes(CheckpointMac.KeySize);
        // Write a uniquely named file (mode 600 from its creation, so the key is never readable by others),
        // then move it into place without overwriting: two processes racing to create the key end up
        // with one file, and the loser uses the winner's key.
        var temporary = Path.Combine(folder, $".{agencyId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var file = new FileStream(temporary, options))
            {
                file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n"));
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            CryptographicOperations.ZeroMemory(key);
            return Load(agencyId, path);
        }
        finally
        {
            File.Delete(temporary); // no-op once moved into place
        }
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            CryptographicOperations.ZeroMemory(key);
        }
        _keys.Clear();
    }
}
