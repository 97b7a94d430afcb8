using Threshold.Domain.Access;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;

namespace Threshold.Access;

/// <summary>How case content left the system: the audit trail records which door it went through.</summary>
public enum ReadChannel
{
    Page,
    Api,
    Search,
    Export,
}

/// <summary>What the gateway decided for one read.</summary>
public enum ReadDecision
{
    NotFound,
    Full,
    Withheld,
}

/// <summary>A record as the gateway released it.</summary>
public sealed record RecordView(ReadDecision Decision, IReadOnlyList<StoredEvent> Events);

/// <summary>
/// The one door through which case content is read (DESIGN.md: every read of case content is
/// audited). It enforces agency isolation — a user sees their own agency's records and those another
/// agency shared with it — and records every read, and every refused attempt, as a ledger event in
/// the reader's agency chain before anything is returned. A refused record looks exactly like a
/// missing one (404), so probing tells an outsider nothing.
/// </summary>
public sealed class ReadGateway(ThresholdStore store, AdministrationQueries queries)
{
    public static string AuditStream(string agencyId) => $"audit:{agencyId}";

    // Administrative streams (users with their password hashes, agencies, agreements, the audit
    // trail itself) are not case content and are never served through this door.
    private static readonly string[] AdministrativePrefixes = ["user:", "agency:", "audit:", "agreement:"];

    public static bool IsCaseRecord(string streamId) =>
        !AdministrativePrefixes.Any(p => streamId.StartsWith(p, StringComparison.Ordinal));

    /// <summary>
    /// The stream's events, or null (not found, not this user's to see, or restricted; the caller answers 404).
    /// A process page that knows how to show a restricted record's shell (its annotation and the fact of
    /// the restriction, never its content) uses <see cref="LoadAsync"/> and honours its decision.
    /// </summary>
    public async Task<IReadOnlyList<StoredEvent>?> ReadStreamAsync(CurrentUser user, string streamId, ReadChannel channel, string purpose, CancellationToken ct = default) =>
        (await LoadAsync(user, streamId, channel, purpose, ct)) is { Decision: ReadDecision.Full } view ? view.Events : null;

    /// <summary>
    /// Decides and audits, then loads: <see cref="ReadDecision.Full"/> with every event;
    /// <see cref="ReadDecision.Withheld"/> with the events too, for a caller that shows only the
    /// restricted record's shell; <see cref="ReadDecision.NotFound"/> with none.
    /// </summary>
    public async Task<RecordView> LoadAsync(CurrentUser user, string streamId, ReadChannel channel, string purpose, CancellationToken ct = default)
    {
        // The read is on the record before the content leaves.
        var decision = await DecideAsync(user, streamId, channel, purpose, ct);
        return decision == ReadDecision.NotFound
            ? new RecordView(decision, [])
            : new RecordView(decision, await store.Ledger.ReadStreamAsync(streamId, ct));
    }

    /// <summary>Before showing one record from a read model: true when its content may be shown (audited either way).</summary>
    public async Task<bool> AllowAsync(CurrentUser user, string streamId, ReadChannel channel, string purpose, CancellationToken ct = default) =>
        await DecideAsync(user, streamId, channel, purpose, ct) == ReadDecision.Full;

    /// <summary>
    /// The one isolation rule: a user reads their own agency's records and those shared with it, and a
    /// restricted record's content only in a role the restriction names. Every decision is audited.
    /// </summary>
    public async Task<ReadDecision> DecideAsync(CurrentUser user, string streamId, ReadChannel channel, string purpose, CancellationToken ct = default)
    {
        var (version, owner) = await store.Ledger.GetStreamAsync(streamId, ct);
        var channelName = channel.ToString().ToLowerInvariant();
        string? refusal = version == 0 || owner is null || !IsCaseRecord(streamId)
            ? "no such record"
            : owner != user.AgencyId && !await queries.IsSharedWithAsync(streamId, user.AgencyId, ct)
                ? $"record belongs to another agency ({owner}) and was not shared"
                : null;
        if (refusal is not null)
        {
            await AuditAsync(user, new CaseAccessRefused(user.UserId, user.Email, streamId, channelName, refusal), ct);
            return ReadDecision.NotFound;
        }
        var readableBy = await queries.ReadableByAsync(streamId, ct);
        if (readableBy is not null && !readableBy.Any(user.IsIn))
        {
            await AuditAsync(user, new CaseContentRead(user.UserId, user.Email, streamId, owner!, channelName,
                $"{purpose} (restricted: content withheld)"), ct);
            return ReadDecision.Withheld;
        }
        await AuditAsync(user, new CaseContentRead(user.UserId, user.Email, streamId, owner!, channelName, purpose), ct);
        return ReadDecision.Full;
    }

    /// <summary>
    /// For lists, work queues and searches over the user's own agency's read models: records that the
    /// user saw case content in bulk, what they asked for and how many records it showed.
    /// </summary>
    public Task AuditListAsync(CurrentUser user, string what, ReadChannel channel, int recordCount, CancellationToken ct = default) =>
        AuditAsync(user, new CaseContentRead(user.UserId, user.Email, $"list:{what}", user.AgencyId,
            channel.ToString().ToLowerInvariant(), $"{what} ({recordCount} records)"), ct);

    private Task AuditAsync(CurrentUser user, Domain.IEvent e, CancellationToken ct) =>
        store.Ledger.AppendAsync(user.AgencyId, AuditStream(user.AgencyId), ExpectedVersion.Any, [EventSerializer.ToNew(e)], user.Actor, ct);
}
