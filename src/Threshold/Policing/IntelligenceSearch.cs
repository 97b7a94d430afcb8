using Threshold.Access;
using Threshold.Domain.Safeguarding;
using Threshold.Storage.Policing;

namespace Threshold.Policing;

/// <summary>One intelligence entry found for a person, with how likely it is the same person and why.</summary>
public sealed record IntelligenceHit(string EntryId, string? CaseId, string SubjectName, string? DateOfBirth, string Summary, string Grading,
    string? HandlingRestrictions, string RecordedBy, string RecordedAt, double MatchProbability, string Explanation);

/// <summary>
/// Searches the force's intelligence entries by person: candidates share a family name, date of birth,
/// e-mail, phone or postcode (blocking in the read model); each is scored by Threshold.Matching's
/// Fellegi–Sunter model and explained. The search is audited as a list read.
/// </summary>
public sealed class IntelligenceSearch(PoliceQueries queries, ReadGateway gateway)
{
    public const double DefaultMinimum = 0.5;

    public async Task<IReadOnlyList<IntelligenceHit>> SearchAsync(CurrentUser user, PersonDetails person, ReadChannel channel, double minimumProbability = DefaultMinimum,
        int limit = 20, CancellationToken ct = default)
    {
        var candidates = await queries.IntelligenceCandidatesAsync(user.AgencyId, person.FamilyName, person.DateOfBirth, person.Email, person.Phone, person.Address?.Postcode, ct: ct);
        var hits = candidates
            .Select(c =>
            {
                var subject = new PersonDetails(c.GivenName, c.FamilyName, c.DateOfBirth, c.Email, c.Phone, c.PostcodeKey is null ? null : new PostalAddress(null, null, c.PostcodeKey));
                var match = PersonMatch.Explain(person, subject);
                return new IntelligenceHit(c.EntryId, c.CaseId, subject.DisplayName, c.DateOfBirth, c.Summary, c.Grading, c.HandlingRestrictions, c.RecordedBy, c.RecordedAt,
                    match.MatchProbability, match.ToString());
            })
            .Where(h => h.MatchProbability >= minimumProbability)
            .OrderByDescending(h => h.MatchProbability).ThenByDescending(h => h.RecordedAt, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        await gateway.AuditListAsync(user, $"police intelligence search for {person.DisplayName}", channel, hits.Count, ct);
        return hits;
    }
}
