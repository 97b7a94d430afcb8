using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Threshold.Storage.Ledger;

/// <summary>
/// The agencies' checkpoint-signing keys: ECDSA P-256 private keys in PEM files, one per agency chain.
/// A key named in configuration (<c>StoreOptions.AgencyKeyFiles</c>) is used as it is and never created;
/// otherwise the key lives in <c>{data}/keys/{agency}.pem</c> and is created (mode 600, folder mode 700)
/// on the chain's first append. A missing key for a chain that already has events is an error, never a
/// reason to start a new key: a fresh key would re-sign whatever the table holds now.
/// </summary>
internal sealed class AgencyKeyRing(string keysDirectory, IReadOnlyDictionary<string, string>? configured) : IDisposable
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    private readonly ConcurrentDictionary<string, ECDsa> _signingKeys = new(StringComparer.Ordinal);

    public string PathFor(string agencyId) =>
        configured is not null && configured.TryGetValue(agencyId, out var path)
            ? Path.GetFullPath(path)
            : Path.Combine(keysDirectory, agencyId + ".pem");

    private bool IsConfigured(string agencyId) => configured?.ContainsKey(agencyId) == true;

    /// <summary>The key that signs <paramref name="agencyId"/>'s checkpoints, created when the chain is still empty.</summary>
    public ECDsa SigningKeyFor(string agencyId, bool chainIsEmpty)
    {
        if (_signingKeys.TryGetValue(agencyId, out var cached))
        {
            return cached;
        }
        var path = PathFor(agencyId);
        ECDsa key;
        if (File.Exists(path))
        {
            key = Load(agencyId, path);
        }
        else if (IsConfigured(agencyId))
        {
            throw new InvalidOperationException(
                $"The signing key configured for agency '{agencyId}' was not found at '{path}'. Restore it, or correct the configuration.");
        }
        else if (!chainIsEmpty)
        {
            throw new InvalidOperationException(
                $"The signing key of agency '{agencyId}' is missing from '{path}' but its chain already has events. " +
                "Restore the key from backup: a new key would vouch for whatever the table now holds.");
        }
        else
        {
            key = CreateKeyFile(agencyId, path);
        }
        if (!_signingKeys.TryAdd(agencyId, key))
        {
            key.Dispose();
        }
        return _signingKeys[agencyId];
    }

    /// <summary>
    /// A fresh public-only key for checking signatures, or null with the reason when the key file cannot be read.
    /// A separate instance keeps verification independent of the signing cache.
    /// </summary>
    public ECDsa? VerificationKeyFor(string agencyId, out string? problem)
    {
        var path = PathFor(agencyId);
        if (!File.Exists(path))
        {
            problem = $"no signing key for agency '{agencyId}' at '{path}': its checkpoint signature cannot be checked";
            return null;
        }
        try
        {
            using var privateKey = Load(agencyId, path);
            var publicKey = ECDsa.Create(privateKey.ExportParameters(includePrivateParameters: false));
            problem = null;
            return publicKey;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            problem = $"the signing key of agency '{agencyId}' at '{path}' cannot be read: {e.Message}";
            return null;
        }
    }

    private static ECDsa Load(string agencyId, string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            if (key.ExportParameters(includePrivateParameters: false).Curve.Oid.Value != P256Oid)
            {
                throw new CryptographicException($"The key of agency '{agencyId}' at '{path}' is not an ECDSA P-256 key.");
            }
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static ECDsa CreateKeyFile(string agencyId, string path)
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
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
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
            using (var writer = new StreamWriter(file))
            {
                writer.Write(key.ExportPkcs8PrivateKeyPem());
                writer.WriteLine();
                writer.Flush();
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            key.Dispose();
            return Load(agencyId, path);
        }
        catch
        {
            key.Dispose();
            throw;
        }
        finally
        {
            File.Delete(temporary); // no-op once moved into place
        }
    }

    public void Dispose()
    {
        foreach (var key in _signingKeys.Values)
        {
            key.Dispose();
        }
        _signingKeys.Clear();
    }
}
