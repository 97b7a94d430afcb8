using Threshold.Domain.Safeguarding;
using Threshold.Matching.Index;
using Threshold.Matching.Scoring;
using Threshold.Policing;
using Threshold.Storage.Integrity;
using Roles = Threshold.Storage.Integrity.IntegrityProjection.Roles;

namespace Threshold.Integrity;

/// <summary>A person the index found, with the record they are in (<paramref name="Record"/>: everyone in it) and the model's explanation of the match.</summary>
public sealed record IndexedPerson(long Seq, string AgencyId, string Role, string RecordId, PersonDetails Person, MatchExplanation Match, IReadOnlyList<IntegrityPersonRow> Record)
{
    public double Probability => Match.MatchProbability;
}

/// <summary>
/// The people on record across agencies, in two in-memory person indexes (Threshold.Matching's
/// <see cref="PersonIndex"/>): the police side (suspects, victims, households, instruction subjects)
/// and earlier referrers. Filled from the integrity projection and caught up before every query by
/// reading the rows added since (another process — a CLI command — may have appended), so it is
/// never behind the ledger. Candidates are re-scored with <see cref="PersonMatch"/> for the
/// explanation the signal shows.
/// </summary>
public sealed class IntegrityIndex(IntegrityQueries queries)
{
    private const int CatchUpBatch = 20_000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly PersonIndex _police = new(MatchModel.Default());
    private readonly PersonIndex _referrers = new(MatchModel.Default());
    private readonly Dictionary<long, (string AgencyId, string Role, string RecordId)> _where = [];
    private long _last = -1;

    public int Count => _where.Count;

    /// <summary>Reads every row added since the last catch-up.</summary>
    public async Task CatchUpAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await CatchUpLockedAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CatchUpLockedAsync(CancellationToken ct)
    {
        while (true)
        {
            var rows = await queries.PersonsAfterAsync(_last, CatchUpBatch, ct);
            foreach (var row in rows)
            {
                (row.Role == Roles.Referrer ? _referrers : _police).Add(PersonMatch.Record(row.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Details()));
                _where[row.Seq] = (string.Intern(row.AgencyId), string.Intern(row.Role), row.RecordId);
                _last = row.Seq;
            }
            if (rows.Count < CatchUpBatch)
            {
                return;
            }
        }
    }

    /// <summary>Police-side people like <paramref name="person"/> in the given roles and agencies, at least <paramref name="minimum"/> probable, best first.</summary>
    public Task<IReadOnlyList<IndexedPerson>> FindOnPoliceSideAsync(PersonDetails person, IReadOnlySet<string> roles, IReadOnlySet<string> agencies, double minimum, CancellationToken ct) =>
        FindAsync(_police, person, roles, agencies, minimum, ct);

    /// <summary>Earlier referrers like <paramref name="person"/> in the given agencies.</summary>
    public Task<IReadOnlyList<IndexedPerson>> FindReferrersAsync(PersonDetails person, IReadOnlySet<string> agencies, double minimum, CancellationToken ct) =>
        FindAsync(_referrers, person, new HashSet<string> { Roles.Referrer }, agencies, minimum, ct);

    private async Task<IReadOnlyList<IndexedPerson>> FindAsync(PersonIndex index, PersonDetails person, IReadOnlySet<string> roles, IReadOnlySet<string> agencies, double minimum,
        CancellationToken ct)
    {
        if (agencies.Count == 0)
        {
            return [];
        }
        List<(long Seq, (string AgencyId, string Role, string RecordId) Where)> candidates;
        await _gate.WaitAsync(ct);
        try
        {
            await CatchUpLockedAsync(ct);
            // The index's own (term-frequency adjusted) score is only for finding candidates; a low floor
            // keeps a person written differently (a nickname, no date of birth) in the running.
            candidates = [.. index.Query(PersonMatch.Record("query", person), top: 50, minimumProbability: Math.Min(minimum, 0.05))
                .Select(c => long.Parse(c.Id, System.Globalization.CultureInfo.InvariantCulture))
                .Select(seq => (seq, _where[seq]))
                .Where(c => roles.Contains(c.Item2.Role) && agencies.Contains(c.Item2.AgencyId))];
        }
        finally
        {
            _gate.Release();
        }
        var found = new List<IndexedPerson>();
        foreach (var group in candidates.GroupBy(c => c.Where.RecordId))
        {
            var rows = await queries.PersonsOfRecordAsync(group.Key, ct);
            foreach (var (seq, where) in group)
            {
                if (rows.FirstOrDefault(r => r.Seq == seq) is not { } row)
                {
                    continue;
                }
                var recorded = row.Details();
                var match = PersonMatch.Explain(person, recorded);
                if (match.MatchProbability >= minimum)
                {
                    found.Add(new IndexedPerson(seq, where.AgencyId, where.Role, where.RecordId, recorded, match, rows));
                }
            }
        }
        return [.. found.OrderByDescending(f => f.Probability)];
    }
}
