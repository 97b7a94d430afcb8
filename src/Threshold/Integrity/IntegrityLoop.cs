using System.Security.Cryptography;
using Threshold.Domain;
using Threshold.Domain.Integrity;
using Threshold.Domain.Safeguarding;
using Threshold.Safeguarding;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;
using Threshold.Storage.Policing;

namespace Threshold.Integrity;

/// <summary>
/// Closing the loop: when a manager confirms that a referral's allegation was malicious, each police
/// case its signals rest on is told under the information-sharing agreement — a possible further
/// offence, or contact after a no-contact instruction — as an alert to the officer in the case; and
/// the same referrer's other open referrals are checked again (their history has changed). The
/// family's letter already says "unfounded" (FamilyLetter). Nobody else (the MP's office) is told
/// anything unless the council shares it.
/// </summary>
public sealed class IntegrityLoop(ThresholdStore store, PoliceQueries police, AdministrationQueries admin, IntegrityRecheck recheck, TimeProvider clock) : IReferralStepHook
{
    public async Task AppendedAsync(LoadedReferral referral, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        if (!events.OfType<MaliciousFindingConfirmed>().Any())
        {
            return;
        }
        var received = referral.Referral.Received;
        var council = (await admin.FindAgencyAsync(referral.OwnerAgencyId, ct))?.Name ?? referral.OwnerAgencyId;
        foreach (var signal in referral.Signals.Where(s => s.Source is { RecordKind: SignalSourceKinds.PoliceCase or SignalSourceKinds.NoContactInstruction }))
        {
            var source = signal.Source!;
            var instruction = source.RecordKind == SignalSourceKinds.NoContactInstruction ? await police.FindInstructionAsync(source.RecordId, ct) : null;
            var caseId = instruction?.CaseId ?? source.RecordId;
            if (await police.FindCaseAsync(caseId, ct) is not { } row)
            {
                continue;
            }
            var notice = instruction is not null
                ? $"{council} found the allegation in referral {received.Reference} malicious (confirmed by a manager). The referrer appears to be the subject of your {(instruction.StatutoryOrder ?? "no-contact instruction")}: the referral was contact with the protected family after it — consider a {(instruction.StatutoryOrder is null ? "further offence" : "breach")}."
                : $"{council} found the allegation in referral {received.Reference} malicious (confirmed by a manager). The referrer appears to be your case's suspect and the child's parent its victim: consider whether the referral is a further offence (e.g. part of the course of conduct, or a false report).";
            var e = new MaliciousReferralNotified($"notice-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}", caseId, instruction?.InstructionId, row.OfficerEmail,
                referral.OwnerAgencyId, council, referral.Id, received.Reference, received.ReceivedAt, notice, source.AgreementId, clock.GetUtcNow());
            await store.Ledger.AppendAsync(row.AgencyId, $"integrity-notices:{caseId}", ExpectedVersion.Any, [EventSerializer.ToNew(e)], "system:integrity-check", ct);
        }
        if (received.Referrer is { Anonymous: false, Person: { } referrer })
        {
            await recheck.PersonsChangedAsync(referral.OwnerAgencyId, [referrer], $"an earlier referral by the same referrer ({received.Reference}) was found malicious", ct);
        }
    }
}
