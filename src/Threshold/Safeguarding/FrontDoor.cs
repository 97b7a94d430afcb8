using Threshold.Access;
using Threshold.Domain.Calendar;
using Threshold.Matching;
using Threshold.Matching.Normalisation;
using Threshold.Matching.Scoring;
using Threshold.Storage.Safeguarding;

namespace Threshold.Safeguarding;

/// <summary>A previous referral of the same child or family, with why it matched.</summary>
public sealed record PreviousReferral(ReferralRow Referral, string MatchedPerson, string Because, double Probability);

/// <summary>
/// The front door's lists and look-ups over the referral read model, each audited through the read
/// gateway. Previous referrals are found by blocking on family name, date of birth and postcode, then
/// scored person-to-person with Threshold.Matching (Fellegi–Sunter, default model).
/// </summary>
public sealed class FrontDoor(ReferralQueries queries, ReadGateway gateway, TimeProvider clock)
{
    private static readonly Scorer PersonScorer = new(MatchModel.Default());

    /// <summary>Previous referrals are listed from this match probability up.</summary>
    public const double PreviousReferralThreshold = 0.5;

    public DateTimeOffset Now => clock.GetUtcNow();

    public DateTimeOffset EndOfToday => LondonTime.At(LondonTime.DateOf(Now), new TimeOnly(23, 59, 59));

    public async Task<IReadOnlyList<ReferralRow>> WorkListAsync(CurrentUser user, WorkList list, ReadChannel channel, int limit, CancellationToken ct)
    {
        var rows = await queries.ListAsync(user.AgencyId, list, Now, EndOfToday, limit, ct);
        await gateway.AuditListAsync(user, $"referrals work list {list}", channel, rows.Count, ct);
        return rows;
    }

    public async Task<IReadOnlyDictionary<WorkList, long>> CountsAsync(CurrentUser user, CancellationToken ct)
    {
        var counts = new Dictionary<WorkList, long>();
        foreach (var list in Enum.GetValues<WorkList>())
        {
            counts[list] = await queries.CountAsync(user.AgencyId, list, Now, EndOfToday, ct);
        }
        return counts;
    }

    public WorkListItem Item(ReferralRow r, CurrentUser user)
    {
        var restricted = r.Restricted == 1 && !ReferralService.CanReadRestricted(user);
        return new WorkListItem(r.ReferralId, r.Reference, r.Status, LondonTime.ToLocal(r.Received), LondonTime.ToLocal(r.TriageDue),
            r.ImmediateDanger == 1, r.Status == "Received" && r.TriageDue < Now, restricted ? null : r.Children, r.Restricted == 1, r.Annotation);
    }

    /// <summary>Earlier referrals naming the same children or carers (not the referrer), best match first.</summary>
    public async Task<IReadOnlyList<PreviousReferral>> PreviousReferralsAsync(CurrentUser user, string referralId, CancellationToken ct)
    {
        var people = await queries.PeopleAsync(referralId, ct);
        var subjects = people.Where(p => p.Role != "referrer").ToList();
        if (subjects.Count == 0)
        {
            return [];
        }
        var candidates = await queries.CandidatesAsync(user.AgencyId, referralId, subjects, ct: ct);
        var normalisedSubjects = subjects.Select(p => (Row: p, Person: PersonNormaliser.Default.Normalise(ToRecord(p)))).ToList();
        var best = new Dictionary<string, (ReferralPersonRow Candidate, ReferralPersonRow Subject, double P)>();
        foreach (var candidate in candidates)
        {
            var c = PersonNormaliser.Default.Normalise(ToRecord(candidate));
            foreach (var (row, person) in normalisedSubjects)
            {
                var p = PersonScorer.Probability(person, c);
                if (p >= PreviousReferralThreshold && (!best.TryGetValue(candidate.ReferralId, out var current) || current.P < p))
                {
                    best[candidate.ReferralId] = (candidate, row, p);
                }
            }
        }
        var rows = await queries.FindManyAsync([.. best.Keys], ct);
        await gateway.AuditListAsync(user, $"previous referrals for referral:{referralId}", ReadChannel.Search, rows.Count, ct);
        return [.. rows
            .Where(r => r.AgencyId == user.AgencyId)
            .Select(r => (Row: r, Match: best[r.ReferralId]))
            .OrderByDescending(x => x.Match.P)
            .ThenByDescending(x => x.Row.ReceivedAt, StringComparer.Ordinal)
            .Take(20)
            .Select(x => new PreviousReferral(x.Row, Name(x.Match.Candidate), $"{x.Match.Candidate.Role} in that referral; matches {x.Match.Subject.Role} {Name(x.Match.Subject)}", x.Match.P))];
    }

    private static string Name(ReferralPersonRow p) =>
        string.Join(' ', new[] { p.GivenName, p.FamilyName }.Where(s => !string.IsNullOrWhiteSpace(s))) + (p.DateOfBirth is null ? "" : $" ({p.DateOfBirth})");

    private static PersonRecord ToRecord(ReferralPersonRow p) => new()
    {
        Id = $"{p.ReferralId}/{p.Position}",
        GivenName = p.GivenName,
        FamilyName = p.FamilyName,
        DateOfBirth = p.DateOfBirth,
        AddressLine1 = p.Line1,
        Town = p.Town,
        Postcode = p.PostcodeKey,
        Email = p.Email,
        Phone = p.Phone,
    };
}
