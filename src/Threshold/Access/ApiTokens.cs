using System.Security.Cryptography;
using System.Text;

namespace Threshold.Access;

/// <summary>Per-user bearer tokens: 256 random bits, shown once, kept only as a SHA-256.</summary>
public static class ApiTokens
{
    private const string Prefix = "thr_";

    public static string Create() => Prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Sha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
