using System.Security.Cryptography;
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
/// The disclosing side of the audit: for each signal resting on another agency's record, that
/// agency's chain records what the council was shown, for which referral and under which
/// agreement (the council's side is the <see cref="ReferralIntegrityChecked"/> event in its own
/// chain). The police case page lists them for the officer in the case.
/// </summary>
public sealed class IntegrityDisclosures(ThresholdStore store, AdministrationQueries admin, PoliceQueries police, TimeProvider clock) : IReferralRecordedHook
{
    /// <summary>One stream per disclosing agency and referral: a stream belongs to one agency's chain.</summary>
    public static string StreamId(string agencyId, string referralId) => $"integrity-disclosures:{agencyId}:{referralId}";

    public Task RecordedAsync(ReferralReceived referral, IReadOnlyList<IntegritySignal> signals, CancellationToken ct) =>
        RecordAsync(referral.ReferralId, referral.Reference, referral.LocalAuthority, signals, ct);

    public async Task RecordAsync(string referralId, string reference, string council, IEnumerable<IntegritySignal> signals, CancellationToken ct)
    {
        var external = signals.Where(s => s.Source is not null && (s.Source.AgencyId != council || s.Source.ContactAgencyId is { } c && c != council)).ToList();
        if (external.Count == 0)
        {
            return; // most referrals: nothing was disclosed, nothing to look up
        }
        var councilName = (await admin.FindAgencyAsync(council, ct))?.Name ?? council;
        foreach (var bySource in external.Where(s => s.Source!.AgencyId != council).GroupBy(s => s.Source!.AgencyId))
        {
            var events = new List<NewEvent>();
            foreach (var s in bySource)
            {
                var office = s.Source!.RecordKind == SignalSourceKinds.HarassmentContact;
                events.Add(EventSerializer.ToNew(new IntegrityDisclosureMade($"disc-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}", s.Source.RecordKind,
                    s.Source.RecordId, await CaseOfAsync(s.Source, ct), council, councilName, office ? "" : referralId, office ? "" : reference, s.Kind, Disclosed(s),
                    s.Source.AgreementId, clock.GetUtcNow())));
            }
            // An office's stream must not name the referral either.
            var stream = bySource.All(s => s.Source!.RecordKind == SignalSourceKinds.HarassmentContact) ? $"integrity-disclosures:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}" : StreamId(bySource.Key, referralId);
            await store.Ledger.AppendAsync(bySource.Key, stream, ExpectedVersion.Any, events, "system:integrity-check", ct);
        }
        // A signal on an office's message names a police officer as the contact: the force's chain records that too, on the case.
        foreach (var byContact in external.Where(s => s.Source is { ContactAgencyId: { } contact } && contact != council && contact != s.Source.AgencyId)
                     .GroupBy(s => s.Source!.ContactAgencyId!))
        {
            var events = byContact.Select(s => EventSerializer.ToNew(new IntegrityDisclosureMade($"disc-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}",
                SignalSourceKinds.PoliceCase, s.Source!.ContactCaseId!, s.Source.ContactCaseId, council, councilName, referralId, reference, s.Kind,
                $"{s.Strength}: {s.Explanation}\n{s.Contact}", s.Source.AgreementId, clock.GetUtcNow()))).ToList();
            await store.Ledger.AppendAsync(byContact.Key, StreamId(byContact.Key, referralId), ExpectedVersion.Any, events, "system:integrity-check", ct);
        }
    }

    private async Task<string?> CaseOfAsync(SignalSource source, CancellationToken ct) => source.RecordKind switch
    {
        SignalSourceKinds.PoliceCase => source.RecordId,
        SignalSourceKinds.NoContactInstruction => (await police.FindInstructionAsync(source.RecordId, ct))?.CaseId,
        _ => null,
    };

    /// <summary>
    /// What the disclosing agency's record says was shown. Police see exactly the council's words (it is
    /// their case, and the officer is the contact). An office's record says only that the council compared
    /// a referral with the named message under the agreement: the office learns nothing of the referral
    /// unless the council decides to tell it.
    /// </summary>
    public static string Disclosed(IntegritySignal s) => s.Source?.RecordKind == SignalSourceKinds.HarassmentContact
        ? $"The council compared a referral's wording with this office's message {s.Source.RecordId} (reported to police) and found them alike; the council was told who holds the messages. Nothing of the referral is recorded here."
        : string.Join("\n", new[] { $"{s.Strength}: {s.Explanation}" }.Concat(s.Evidence ?? []).Append(s.Contact ?? "").Where(l => l.Length > 0));
}
