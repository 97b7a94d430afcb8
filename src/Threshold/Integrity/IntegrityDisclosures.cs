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
    public static string StreamId(string referralId) => $"integrity-disclosures:{referralId}";

    public Task RecordedAsync(ReferralReceived referral, IReadOnlyList<IntegritySignal> signals, CancellationToken ct) =>
        RecordAsync(referral.ReferralId, referral.Reference, referral.LocalAuthority, signals, ct);

    public async Task RecordAsync(string referralId, string reference, string council, IEnumerable<IntegritySignal> signals, CancellationToken ct)
    {
        var councilName = (await admin.FindAgencyAsync(council, ct))?.Name ?? council;
        foreach (var bySource in signals.Where(s => s.Source is not null && s.Source.AgencyId != council).GroupBy(s => s.Source!.AgencyId))
        {
            var events = new List<NewEvent>();
            foreach (var s in bySource)
            {
                events.Add(EventSerializer.ToNew(new IntegrityDisclosureMade($"disc-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}", s.Source!.RecordKind,
                    s.Source.RecordId, await CaseOfAsync(s.Source, ct), council, councilName, referralId, reference, s.Kind, Disclosed(s), s.Source.AgreementId, clock.GetUtcNow())));
            }
            await store.Ledger.AppendAsync(bySource.Key, StreamId(referralId), ExpectedVersion.Any, events, "system:integrity-check", ct);
        }
    }

    private async Task<string?> CaseOfAsync(SignalSource source, CancellationToken ct) => source.RecordKind switch
    {
        "police-case" => source.RecordId,
        "no-contact-instruction" => (await police.FindInstructionAsync(source.RecordId, ct))?.CaseId,
        _ => null,
    };

    /// <summary>Exactly what the council sees of the signal.</summary>
    public static string Disclosed(IntegritySignal s) =>
        string.Join("\n", new[] { $"{s.Strength}: {s.Explanation}" }.Concat(s.Evidence ?? []).Append(s.Contact ?? "").Where(l => l.Length > 0));
}
