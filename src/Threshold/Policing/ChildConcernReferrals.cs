using Threshold.Access;
using Threshold.Domain;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;
using Threshold.Safeguarding;
using Threshold.Storage.Administration;
using Threshold.Storage.Ledger;

namespace Threshold.Policing;

/// <summary>A concern for a child raised in a police case, as the officer records it.</summary>
/// <param name="Children">The children the concern is about (names, dates of birth, addresses).</param>
/// <param name="Carers">Their parents or carers.</param>
/// <param name="Concern">The concern in the referrer's words.</param>
/// <param name="ImmediateDanger">Whether a child is thought to be in immediate danger.</param>
/// <param name="LocalAuthority">The council's agency id, when the officer chooses it; otherwise it is found from a child's postcode.</param>
/// <param name="Referrer">Who raised the concern, as given: their identity, relationship to the child and source of knowledge.</param>
public sealed record ChildConcern(
    IReadOnlyList<PersonDetails> Children,
    IReadOnlyList<CarerDetails> Carers,
    ReferrerDetails Referrer,
    string? Concern,
    bool ImmediateDanger,
    string? LocalAuthority);

/// <summary>
/// Concern for a child → safeguarding referral (issue 6, step 7). The referral goes through the
/// children's services intake (ReferralService: checked, integrity-checked, recorded in the council's
/// chain and shared back with the force), to the council the officer names or the one the child's
/// postcode belongs to; the case records the link (ChildConcernReferred) and its view shows the
/// referral's outcome as the council records it.
/// </summary>
public sealed class ChildConcernReferrals(PoliceCaseService cases, ReferralService referrals, AdministrationQueries admin)
{
    public async Task<(LoadedPoliceCase Case, ReferralReceived Referral)?> ReferAsync(CurrentUser user, string caseId, long? expectedVersion, ChildConcern concern, CancellationToken ct = default)
    {
        var loaded = await cases.LoadAsync(user, caseId, ReadChannel.Api, "concern for a child", ct);
        if (loaded is null || loaded.OwnerAgencyId != user.AgencyId)
        {
            return null;
        }
        // Refuse a stale version before anything is sent to the council.
        if (expectedVersion is { } v && v != loaded.Version)
        {
            throw new ConcurrencyConflictException(PoliceCaseService.StreamId(loaded.Id), v, loaded.Version);
        }
        loaded.Case.Check(PoliceCaseStep.ReferChildConcern);
        var (la, chosenBy) = concern.LocalAuthority is { Length: > 0 } named
            ? (named.Trim(), "officer")
            : (concern.Children.Select(c => LocalAuthorityAreas.Default.For(c.Address?.Postcode)).FirstOrDefault(x => x is not null)
                ?? throw new DomainRuleException("LocalAuthorityNeeded",
                    "No child's postcode is in a known local authority area: name the local authority (localAuthority: the council's agency id)."), "postcode");
        var council = await referrals.LocalAuthorityAsync(la, ct);
        var agency = await admin.FindAgencyAsync(user.AgencyId, ct);
        // The person who raised the concern is the referrer; unless it is the officer, the force only passes it on.
        var raisedByOfficer = concern.Referrer.Person is { } person
            && (string.Equals(person.Email?.Trim(), user.Email, StringComparison.OrdinalIgnoreCase)
                || string.Equals(person.DisplayName, user.DisplayName, StringComparison.OrdinalIgnoreCase)
                || user.DisplayName.EndsWith(" " + person.DisplayName, StringComparison.OrdinalIgnoreCase));
        var referrer = concern.Referrer with
        {
            Anonymous = concern.Referrer.Person is null, AgencyId = user.AgencyId, AgencyName = agency?.Name ?? user.AgencyName,
            PassedOn = concern.Referrer.Person is not null && !raisedByOfficer,
        };
        var received = await referrals.SubmitAsync(new ReferralSubmission(council.AgencyId, concern.Children, concern.Carers, referrer, concern.Concern,
            concern.ImmediateDanger, ReferralDoors.Agency), user.Actor, ct);
        var link = loaded.Case.ReferChildConcern(received.ReferralId, council.AgencyId, council.Name,
            string.Join("; ", received.Children.Select(c => c.DisplayName)), chosenBy, user.Actor, cases.Now);
        var after = await cases.ChangeAsync(user, loaded.Id, loaded.Version, "concern for a child (link)", _ => [link], ct);
        return (after!, received);
    }
}
