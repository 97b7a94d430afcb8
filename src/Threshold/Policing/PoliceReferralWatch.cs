using System.Globalization;
using System.Security.Cryptography;
using Threshold.Domain.Integrity;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;
using Threshold.Safeguarding;
using Threshold.Storage;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;
using Threshold.Storage.Policing;

namespace Threshold.Policing;

/// <summary>
/// The referral side of a no-contact instruction (issue 6, step 5): when the integrity check found
/// that a referral's referrer is the subject of an instruction or order protecting the family
/// (<see cref="SignalKinds.ReferrerUnderNoContact"/>, matched only under an information-sharing
/// agreement), the officer in the case gets a further-contact alert — a possible breach when the
/// instruction enforces a statutory order. Runs after the referral is recorded and never changes it.
/// </summary>
public sealed class PoliceReferralWatch(ThresholdStore store, PoliceQueries queries) : IReferralRecordedHook
{
    public async Task RecordedAsync(ReferralReceived referral, IReadOnlyList<IntegritySignal> signals, CancellationToken ct)
    {
        // A referral the force itself passed on (a concern raised in one of its cases) is already known to it: no alert to itself.
        foreach (var signal in signals.Where(s => s.Kind == SignalKinds.ReferrerUnderNoContact && s.Source is { RecordKind: SignalSourceKinds.NoContactInstruction }
                     && s.Source.AgencyId != referral.Referrer.AgencyId))
        {
            if (await queries.FindInstructionAsync(signal.Source!.RecordId, ct) is not { } row)
            {
                continue;
            }
            var breach = row.StatutoryOrder is not null;
            var issued = DateOnly.ParseExact(row.IssuedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var flag = breach
                ? $"possible breach of a {row.StatutoryOrder} (made {issued:d MMMM yyyy}): a safeguarding referral to {referral.LocalAuthority}"
                : $"further contact after a no-contact instruction (issued {issued:d MMMM yyyy}): a safeguarding referral to {referral.LocalAuthority}";
            var alert = new FurtherContactAlertRaised($"alert-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}", row.InstructionId, row.CaseId, row.OfficerEmail,
                referral.LocalAuthority, referral.ReferralId, "", referral.ReceivedAt, breach, $"{flag} ({referral.Reference}): {string.Join(" ", signal.Evidence ?? [])}", referral.ReferralId);
            // Like the office's alerts: the instruction's alert log is a log by nature, any agency may add to it.
            await store.Ledger.AppendAsync(row.AgencyId, $"further-contact:{row.InstructionId}", ExpectedVersion.Any, [EventSerializer.ToNew(alert)], "system:referral-watch", ct);
        }
    }
}
