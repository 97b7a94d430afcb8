using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Threshold.Domain.Calendar;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;
using Threshold.Safeguarding;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;
using Threshold.Storage.Policing;

namespace Threshold.Policing;

/// <summary>
/// The referral side of a no-contact instruction (issue 6, step 5): a referral to children's services
/// naming the instruction's subject as referrer about the protected family raises a further-contact
/// alert to the officer in the case (a possible breach when the instruction enforces a statutory
/// order). Runs after the referral is recorded and never changes it. Only between agencies with a
/// recorded information-sharing agreement (DESIGN.md: cross-agency matching runs only under one).
/// "Same person" is decided by Threshold.Matching's model, or an e-mail address or phone number in common.
/// </summary>
public sealed class PoliceReferralWatch(ThresholdStore store, PoliceQueries queries, AdministrationQueries admin) : IReferralRecordedHook
{
    /// <summary>Match probability above which the referrer is taken to be the instruction's subject on name (and date of birth) alone.</summary>
    public const double SamePerson = 0.9;

    public async Task RecordedAsync(ReferralReceived referral, CancellationToken ct)
    {
        if (referral.Referrer.Anonymous || referral.Referrer.Person is not { } referrer)
        {
            return;
        }
        var today = LondonTime.DateOf(referral.ReceivedAt);
        var instructions = await queries.InstructionsAgainstAsync(referrer.FamilyName, referrer.Email, referrer.Phone, today, ct);
        if (instructions.Count == 0)
        {
            return;
        }
        var agreed = (await admin.AgreementsForAsync(referral.LocalAuthority, ct)).SelectMany(a => a.Agencies.Split(',')).ToHashSet(StringComparer.Ordinal);
        var family = referral.Children.Concat(referral.Carers.Select(c => c.Person)).ToList();
        // A referral the force itself passed on (a concern raised in one of its cases) is already known to it: no alert to itself.
        foreach (var row in instructions.Where(i => agreed.Contains(i.AgencyId) && i.AgencyId != referral.Referrer.AgencyId))
        {
            var subject = JsonSerializer.Deserialize<NoContactSubject>(row.Suspect, EventSerializer.Options)!;
            if (Same(referrer, subject) is not { } why)
            {
                continue;
            }
            var protectedPeople = PoliceProjection.ProtectedPersons(row.ProtectedPersons);
            var named = protectedPeople.FirstOrDefault(p => family.Any(f => IsProtected(p, f)));
            if (named is null)
            {
                continue;
            }
            var breach = row.StatutoryOrder is not null;
            var issued = DateOnly.ParseExact(row.IssuedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var flag = breach
                ? $"possible breach of a {row.StatutoryOrder} (made {issued:d MMMM yyyy}): a safeguarding referral to {referral.LocalAuthority} about {named.DisplayName}'s family"
                : $"further contact after a no-contact instruction (issued {issued:d MMMM yyyy}): a safeguarding referral to {referral.LocalAuthority} about {named.DisplayName}'s family";
            var alert = new FurtherContactAlertRaised($"alert-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}", row.InstructionId, row.CaseId, row.OfficerEmail,
                referral.LocalAuthority, referral.ReferralId, "", referral.ReceivedAt, breach, $"{flag}: {why}", referral.ReferralId);
            // Like the office's alerts: the instruction's alert log is a log by nature, any agency may add to it.
            await store.Ledger.AppendAsync(row.AgencyId, $"further-contact:{row.InstructionId}", ExpectedVersion.Any, [EventSerializer.ToNew(alert)], "system:referral-watch", ct);
        }
    }

    private static string? Same(PersonDetails referrer, NoContactSubject subject)
    {
        if (PoliceProjection.EmailKey(referrer.Email) is { } mail && subject.Emails.Any(e => PoliceProjection.EmailKey(e) == mail))
        {
            return $"the referrer's e-mail address {referrer.Email} is the instruction subject's";
        }
        if (PoliceProjection.PhoneKey(referrer.Phone) is { } tel && subject.Phones.Any(p => PoliceProjection.PhoneKey(p) == tel))
        {
            return $"the referrer's phone number {referrer.Phone} is the instruction subject's";
        }
        var s = new PersonDetails(subject.GivenName, subject.FamilyName, subject.DateOfBirth, null, null, null);
        var match = PersonMatch.Explain(referrer with { Email = null, Phone = null, Address = null }, s);
        return match.MatchProbability >= SamePerson
            ? $"the referrer {referrer.DisplayName} matches the instruction's subject {s.DisplayName} (match probability {match.MatchProbability:0.000}: {match})"
            : null;
    }

    /// <summary>A protected person is named in the referral: the model says so, or the same family name with the same date of birth or postcode.</summary>
    private static bool IsProtected(PersonDetails protectedPerson, PersonDetails named)
    {
        if (PoliceProjection.FamilyKey(protectedPerson.FamilyName) is { } family && family == PoliceProjection.FamilyKey(named.FamilyName)
            && ((protectedPerson.DateOfBirth is { } dob && dob == named.DateOfBirth)
                || (PoliceProjection.PostcodeKey(protectedPerson.Address?.Postcode) is { } pc && pc == PoliceProjection.PostcodeKey(named.Address?.Postcode))))
        {
            return true;
        }
        return PersonMatch.Explain(protectedPerson, named).MatchProbability >= SamePerson;
    }
}
