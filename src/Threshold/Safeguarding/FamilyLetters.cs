using Threshold.Access;
using Threshold.Domain;
using Threshold.Domain.Safeguarding;
using Threshold.Storage.Blobs;

namespace Threshold.Safeguarding;

/// <summary>
/// Sending the family letter, for the API and the referral page alike: the PDF is made once, its bytes
/// kept in the blob store under their SHA-256, and FamilyInformed records that same hash — so the letter
/// handed back, the one kept and the one in the ledger are provably the same bytes.
/// </summary>
public sealed class FamilyLetters(ReferralService service, BlobStore blobs)
{
    public sealed record Sent(byte[] Pdf, string Sha256, FamilyInformed Event);

    public async Task<Sent> SendAsync(LoadedReferral loaded, CurrentUser user, string? recipient, long? expectedVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(user);
        var name = ReferralIntake.CheckText(recipient, "recipient", 200);
        if (name.Length == 0)
        {
            throw new DomainRuleException("FamilyLetterNeedsRecipient", "Say who the letter is to, for example the child's parent or carer by name.");
        }
        var r = loaded.Referral;
        var now = service.Now;
        var pdf = FamilyLetter.Pdf(r, name, user.AgencyName, now);
        var sha = FamilyLetter.Sha256(pdf);
        // The domain's rule first (outcome decided, no unconfirmed malicious finding), then keep the bytes, then record.
        var informed = r.InformFamily(name, r.OutcomeForFamily(), sha, user.Actor, now);
        blobs.Put(pdf);
        await service.AppendAsync(loaded, user, expectedVersion, ct, informed);
        return new Sent(pdf, sha, informed);
    }

    /// <summary>A letter sent for this referral, by the hash its FamilyInformed recorded; null when there is none.</summary>
    public Stream? Open(LoadedReferral loaded, string sha256) =>
        loaded.Referral.FamilyLetters.Any(l => l.LetterSha256 == sha256) ? blobs.OpenRead(sha256) : null;
}
