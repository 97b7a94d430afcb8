using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Threshold.Storage.Ledger;

/// <summary>
/// What a chain checkpoint's signature covers, and how it is made and checked.
/// <para>The signed message is</para>
/// <code>str("threshold.checkpoint.v1") str(agency_id) i64(sequence) head_hash (32 raw bytes)</code>
/// <para>with the same <c>str</c>/<c>i64</c> encoding as <see cref="ChainHash"/>. The signature is ECDSA
/// P-256 with SHA-256, stored as the 64-byte IEEE P1363 form (r ‖ s).</para>
/// </summary>
public static class CheckpointSignature
{
    private static ReadOnlySpan<byte> FormatTag => "threshold.checkpoint.v1"u8;

    /// <summary>The bytes that are signed for a chain whose last event has <paramref name="sequence"/> and <paramref name="headHash"/>.</summary>
    public static byte[] Message(string agencyId, long sequence, ReadOnlySpan<byte> headHash)
    {
        if (headHash.Length != ChainHash.Size)
        {
            throw new ArgumentException($"A head hash has {ChainHash.Size} bytes, not {headHash.Length}.", nameof(headHash));
        }
        var agency = Encoding.UTF8.GetBytes(agencyId);
        var message = new byte[4 + FormatTag.Length + 4 + agency.Length + 8 + ChainHash.Size];
        var span = message.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)FormatTag.Length);
        FormatTag.CopyTo(span[4..]);
        span = span[(4 + FormatTag.Length)..];
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)agency.Length);
        agency.CopyTo(span[4..]);
        span = span[(4 + agency.Length)..];
        BinaryPrimitives.WriteInt64BigEndian(span, sequence);
        headHash.CopyTo(span[8..]);
        return message;
    }

    public static byte[] Sign(ECDsa key, string agencyId, long sequence, ReadOnlySpan<byte> headHash) =>
        key.SignData(Message(agencyId, sequence, headHash), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public static bool IsValid(ECDsa key, string agencyId, long sequence, ReadOnlySpan<byte> headHash, ReadOnlySpan<byte> signature) =>
        headHash.Length == ChainHash.Size
        && key.VerifyData(Message(agencyId, sequence, headHash), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
}
