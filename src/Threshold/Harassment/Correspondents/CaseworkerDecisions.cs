using System.Security.Cryptography;
using Threshold.Domain;
using Threshold.Domain.Harassment;
using Threshold.Storage;
using Threshold.Storage.Events;
using Threshold.Storage.Harassment;

namespace Threshold.Harassment.Correspondents;

/// <summary>
/// What caseworkers decide about the log, each an event: merging and splitting correspondents (and
/// undoing either), confirming or overturning a triage label, recording that a correspondent was
/// asked to stop. Decisions about a correspondent go on its own stream, <c>correspondent:{id}</c>,
/// at the version the caseworker saw.
/// </summary>
public sealed class CaseworkerDecisions(ThresholdStore store, HarassmentQueries queries)
{
    public static string StreamOf(string correspondentId) => $"correspondent:{correspondentId}";

    public async Task<string> MergeAsync(string office, string intoId, string mergedId, string? reason, string actor, CancellationToken ct = default)
    {
        if (intoId == mergedId)
        {
            throw new DomainRuleException("MergeNeedsTwoCorrespondents", "Choose a different correspondent to merge with.");
        }
        var into = await LiveAsync(office, intoId, ct);
        var merged = await LiveAsync(office, mergedId, ct);
        var contacts = await queries.ContactsAsync(office, new ContactFilter(CorrespondentId: merged.CorrespondentId, Limit: int.MaxValue), ct);
        var id = $"merge-{NewId()}";
        await AppendAsync(office, into.CorrespondentId, new CorrespondentsMerged(id, office, into.CorrespondentId, merged.CorrespondentId,
            [.. contacts.Select(c => c.ContactId)], Reason(reason, $"{merged.DisplayName} is {into.DisplayName}")), actor, ct);
        return id;
    }

    public async Task<(string SplitId, string CorrespondentId)> SplitAsync(
        string office, string fromId, IReadOnlyCollection<string> contactIds, string? displayName, string? reason, string actor, CancellationToken ct = default)
    {
        var from = await LiveAsync(office, fromId, ct);
        var contacts = await queries.ContactsAsync(office, new ContactFilter(CorrespondentId: from.CorrespondentId, Limit: int.MaxValue), ct);
        var chosen = contacts.Where(c => contactIds.Contains(c.ContactId)).ToList();
        if (chosen.Count == 0 || chosen.Count != contactIds.Distinct().Count())
        {
            throw new DomainRuleException("SplitNeedsContactsOfTheCorrespondent", "Choose one or more of this correspondent's own contacts to split off.");
        }
        if (chosen.Count == contacts.Count)
        {
            throw new DomainRuleException("SplitMustLeaveAContact", "A split must leave at least one contact with the correspondent; to rename, split off some and merge the rest.");
        }
        var newId = $"cor-{NewId()}";
        var name = string.IsNullOrWhiteSpace(displayName) ? chosen[0].SenderName ?? chosen[0].SenderEmail ?? "Split-off correspondent" : displayName.Trim();
        var id = $"split-{NewId()}";
        await AppendAsync(office, from.CorrespondentId, new ContactsSplitOff(id, office, from.CorrespondentId, newId, name,
            [.. chosen.Select(c => c.ContactId)], Reason(reason, "not the same person")), actor, ct);
        return (id, newId);
    }

    public async Task UndoAsync(string office, string regroupingId, string? reason, string actor, CancellationToken ct = default)
    {
        var regrouping = await queries.FindRegroupingAsync(office, regroupingId, ct)
            ?? throw new DomainRuleException("UndoNeedsAMergeOrSplit", $"There is no merge or split '{regroupingId}' in this office's log.");
        if (regrouping.Undone != 0)
        {
            throw new DomainRuleException("UndoOnlyOnce", "That was undone already.");
        }
        IEvent e = regrouping.Kind == "merge"
            ? new CorrespondentMergeUndone(regroupingId, office, Reason(reason, "merged by mistake"))
            : new ContactsSplitUndone(regroupingId, office, Reason(reason, "split by mistake"));
        await AppendAsync(office, regrouping.Kind == "merge" ? regrouping.ToId : regrouping.FromId, e, actor, ct);
    }

    public async Task ReviewLabelAsync(string office, string contactId, string label, string decision, string? note, string actor, CancellationToken ct = default)
    {
        var contact = await queries.FindContactAsync(office, contactId, ct)
            ?? throw new DomainRuleException("ReviewNeedsAContact", $"There is no contact '{contactId}' in this office's log.");
        await AppendAsync(office, contact.CorrespondentId,
            new ContactLabelReviewed(contactId, office, TriageLabels.ParseLabel(label), TriageLabels.ParseDecision(decision), string.IsNullOrWhiteSpace(note) ? null : note.Trim()), actor, ct);
    }

    public async Task AskedToStopAsync(string office, string correspondentId, DateTimeOffset on, string? how, string actor, CancellationToken ct = default)
    {
        var c = await LiveAsync(office, correspondentId, ct);
        await AppendAsync(office, c.CorrespondentId, new CorrespondentAskedToStop(c.CorrespondentId, office, on, Reason(how, "told by the office")), actor, ct);
    }

    private async Task<CorrespondentRow> LiveAsync(string office, string id, CancellationToken ct)
    {
        var row = await queries.FindCorrespondentAsync(office, id, ct)
            ?? throw new DomainRuleException("CorrespondentMustExist", $"There is no correspondent '{id}' in this office's log.");
        return row.MergedInto is null
            ? row
            : throw new DomainRuleException("CorrespondentWasMerged", $"{row.DisplayName} was merged into another correspondent; undo that merge first.");
    }

    private async Task AppendAsync(string office, string correspondentId, IEvent e, string actor, CancellationToken ct)
    {
        var stream = StreamOf(correspondentId);
        var (version, _) = await store.Ledger.GetStreamAsync(stream, ct);
        await store.Ledger.AppendAsync(office, stream, version, [EventSerializer.ToNew(e)], actor, ct);
    }

    private static string Reason(string? given, string fallback) => string.IsNullOrWhiteSpace(given) ? fallback : given.Trim();

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
