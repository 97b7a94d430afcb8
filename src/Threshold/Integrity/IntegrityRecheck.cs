using Threshold.Domain;
using Threshold.Domain.Agencies;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;
using Threshold.Policing;
using Threshold.Safeguarding;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;
using Threshold.Storage.Safeguarding;

namespace Threshold.Integrity;

/// <summary>
/// Signals are recomputed when relevant records change: a police case opened against someone who
/// has referred a family, an instruction or order recorded against them, or an earlier referral by
/// the same referrer found malicious. Each open referral (not closed) whose referrer is like the
/// person is checked again; when its signals differ, a new <see cref="ReferralIntegrityChecked"/>
/// with the reason is appended (the earlier one stays), the disclosures are recorded and the
/// officers alerted as on receipt — for the new signals only.
/// </summary>
public sealed class IntegrityRecheck(ThresholdStore store, IntegrityIndex index, IReferralIntegrityCheck check, ReferralQueries referrals,
    AdministrationQueries admin, IEnumerable<IReferralRecordedHook> hooks) : IPoliceCaseHook
{
    public async Task AppendedAsync(string agencyId, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case PoliceCaseOpened o:
                    await PersonsChangedAsync(agencyId, o.Suspects, $"{o.Reference}: a police case naming the referrer as a suspect was opened", ct);
                    break;
                case NoContactInstructionRecorded n:
                    await PersonsChangedAsync(agencyId, [new PersonDetails(n.Suspect.GivenName, n.Suspect.FamilyName, n.Suspect.DateOfBirth, n.Suspect.Emails.FirstOrDefault(),
                        n.Suspect.Phones.FirstOrDefault(), null)], n.StatutoryOrder is null ? "a no-contact instruction was recorded against the referrer" : $"a {n.StatutoryOrder} was recorded against the referrer", ct);
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>Checks again every open referral, in a council sharing information with <paramref name="agencyId"/>, whose referrer is like one of <paramref name="persons"/>.</summary>
    public async Task<int> PersonsChangedAsync(string agencyId, IEnumerable<PersonDetails> persons, string reason, CancellationToken ct)
    {
        var councils = new HashSet<string>(await admin.PartnersOfAsync(agencyId, ct), StringComparer.Ordinal) { agencyId };
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var person in persons)
        {
            foreach (var match in await index.FindReferrersAsync(person, councils, ReferralIntegrityCheck.Candidate, ct))
            {
                ids.Add(match.RecordId);
            }
        }
        var changed = 0;
        foreach (var row in await referrals.FindManyAsync(ids, ct))
        {
            if (row.Status != nameof(ReferralStatus.Closed) && await RecheckAsync(row.ReferralId, reason, ct))
            {
                changed++;
            }
        }
        return changed;
    }

    /// <summary>A new agreement lets a council's open referrals match the other parties' records: each is checked again.</summary>
    public async Task<(int Checked, int Changed)> AgreementRecordedAsync(IReadOnlyList<string> agencies, string agreementId, CancellationToken ct)
    {
        var (checkedAgain, changed) = (0, 0);
        foreach (var agencyId in agencies.Distinct(StringComparer.Ordinal))
        {
            if (await admin.FindAgencyAsync(agencyId, ct) is not { } agency || agency.Kind != AgencyKind.ChildrenServices.ToSlug())
            {
                continue;
            }
            foreach (var referralId in await referrals.OpenReferralIdsAsync(agencyId, ct))
            {
                checkedAgain++;
                if (await RecheckAsync(referralId, $"information-sharing agreement {agreementId} was recorded", ct))
                {
                    changed++;
                }
            }
        }
        return (checkedAgain, changed);
    }

    /// <summary>Runs the check again on one referral; true when its signals changed (and the change was recorded).</summary>
    public async Task<bool> RecheckAsync(string referralId, string reason, CancellationToken ct)
    {
        var events = (await store.Ledger.ReadStreamAsync(ReferralService.StreamId(referralId), ct)).Select(EventSerializer.Deserialize).ToList();
        if (events.OfType<ReferralReceived>().FirstOrDefault() is not { } received)
        {
            return false;
        }
        var before = events.OfType<ReferralIntegrityChecked>().LastOrDefault()?.Signals ?? [];
        var after = await check.CheckAsync(received, ct);
        var added = after.Where(a => !before.Any(b => Same(a, b))).ToList();
        if (added.Count == 0 && before.Count == after.Count)
        {
            return false;
        }
        await store.Ledger.AppendAsync(received.LocalAuthority, ReferralService.StreamId(referralId), ExpectedVersion.Any,
            [EventSerializer.ToNew(new ReferralIntegrityChecked(after, check.Version, reason))], "system:integrity-check", ct);
        foreach (var hook in hooks)
        {
            await hook.RecordedAsync(received, added, ct);
        }
        return true;
    }

    private static bool Same(IntegritySignal a, IntegritySignal b) =>
        a.Kind == b.Kind && a.Strength == b.Strength && a.Source?.RecordId == b.Source?.RecordId && a.Explanation == b.Explanation;
}
