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

    /// <summary>The stream's events, or null (not found, or not this user's to see; the caller answers 404).</summary>
    public async Task<IReadOnlyList<StoredEvent>?> ReadStreamAsync(CurrentUser user, string streamId, ReadChannel channel, string purpose, CancellationToken ct = default)
    {
        var (version, owner) = await store.Ledger.GetStreamAsync(streamId, ct);
        string? refusal = null;
        if (version == 0 || owner is null || !IsCaseRecord(streamId))
        {
            refusal = "no such record";
        }
        else if (owner != user.AgencyId && !await queries.IsSharedWithAsync(streamId, user.AgencyId, ct))
        {
            refusal = $"record belongs to another agency ({owner}) and was not shared";
        }
        var channelName = channel.ToString().ToLowerInvariant();
        if (refusal is not null)
        {
            await AuditAsync(user, new CaseAccessRefused(user.UserId, user.Email, streamId, channelName, refusal), ct);
            return null;
        }
        // The read is on the record before the content leaves.
        await AuditAsync(user, new CaseContentRead(user.UserId, user.Email, streamId, owner!, channelName, purpose), ct);
        return await store.Ledger.ReadStreamAsync(streamId, ct);
    }

    private Task AuditAsync(CurrentUser user, Domain.IEvent e, CancellationToken ct) =>
        store.Ledger.AppendAsync(user.AgencyId, AuditStream(user.AgencyId), ExpectedVersion.Any, [EventSerializer.ToNew(e)], user.Actor, ct);
}
