using Threshold.Domain.Access;
using Threshold.Domain.Harassment;
using Threshold.Domain.Integrity;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Storage.Events;

namespace Threshold.Demo;

/// <summary>The timeline of what the agencies recorded, read back from the ledger in order (reads, sign-ins and administration left out).</summary>
public static class StoryTimeline
{
    public static async IAsyncEnumerable<string> LinesAsync(ThresholdStore store, AdministrationQueries queries, long afterPosition,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var names = (await queries.ListAgenciesAsync(ct)).ToDictionary(a => a.AgencyId, a => a.Name, StringComparer.Ordinal);
        await foreach (var e in store.Ledger.ReadAllAsync(afterPosition, ct))
        {
            if (EventSerializer.Deserialize(e) is not { } domain || Describe(domain) is not { } what)
            {
                continue;
            }
            var agency = names.GetValueOrDefault(e.AgencyId, e.AgencyId);
            var who = e.Actor.StartsWith("user:", StringComparison.Ordinal) ? e.Actor[5..] : e.Actor;
            yield return $"{AcceptanceStory.When(e.RecordedAtTime),-17} {Shorten(agency, 30),-30} {Shorten(who, 40),-40} {what}";
        }
    }

    private static string Labels(ContactLogged c) =>
        c.Labels.Where(l => l.Bucket != "unlikely").Select(l => l.Label).ToList() is { Count: > 0 } labels ? $" ({string.Join(", ", labels)})" : "";

    private static string Shorten(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "\u2026";

    private static string? Describe(Domain.IEvent e) => e switch
    {
        ContactLogged c => $"e-mail of {AcceptanceStory.When(c.ReceivedAt)} logged: \u201c{c.Subject}\u201d{Labels(c)}{(c.Flags.Count > 0 ? " \u2014 FLAGGED: " + string.Join("; ", c.Flags) : "")}",
        CrimeReportSent r => $"reported to police with the evidence pack ({r.ContactCount} contacts, pack SHA-256 {r.PackSha256[..12]}\u2026)",
        PoliceCaseOpened o => $"police case {o.Reference} opened: {o.Victim.DisplayName} v {string.Join(", ", o.Suspects.Select(s => s.DisplayName))}",
        IncidentRecorded i => $"incident: {i.Summary}",
        OffenceDecisionRecorded d => $"offence decision: {d.OffenceCode}, {d.Decision}",
        SuspectAccountRecorded a => $"suspect's account: {a.Account}",
        VictimViewsRecorded => "victim's views recorded",
        DisposalProposed p => $"disposal proposed: {p.Disposal} ({string.Join("; ", p.Conditions)})",
        DisposalAuthorised => "disposal authorised by a supervisor",
        IntelligenceEntryRecorded i => $"intelligence entry about {i.Subject.DisplayName} ({i.SourceEvaluation}{i.IntelligenceAssessment}{i.HandlingCode})",
        NoContactInstructionRecorded n => $"no-contact instruction issued to {n.Suspect.GivenName} {n.Suspect.FamilyName}",
        VictimInformed v => $"victim informed: {v.What}",
        ChildConcernReferred c => $"child concern passed to {c.LocalAuthorityName} (referral {c.ReferralId[..8]})",
        ReferralReceived r => $"referral {r.Reference} received from {r.Referrer.AgencyName ?? r.Door}; triage due {AcceptanceStory.When(r.TriageDueBy)}",
        ReferralIntegrityChecked c => c.Signals.Count == 0 ? "integrity check: no signal" : $"integrity check: {string.Join("; ", c.Signals.Select(s => $"{s.Kind} ({s.Strength})"))}",
        IntegrityDisclosureMade d => $"disclosed to {d.CouncilName} for {d.ReferralReference}: {d.SignalKind}, under agreement {d.AgreementId}",
        ReferralTriaged t => $"triage decision: {t.Decision}{(t.WithinTime ? " (within time)" : " (LATE)")}",
        StrategyDiscussionHeld s => $"strategy discussion chaired by {s.Chair}: {s.Decision}",
        AllegationFindingRecorded f => $"finding on the allegation: {f.Finding}{(f.AwaitingManagerConfirmation ? " (awaiting a manager)" : "")}",
        MaliciousFindingConfirmed => "malicious finding confirmed by a manager",
        MaliciousReferralNotified n => $"notice from {n.CouncilName}: referral {n.ReferralReference} found malicious",
        ReferralAnnotated a => $"annotated: {a.Text}",
        ReferralRestricted => "content restricted to the records officer and auditors",
        AgencyTold t => $"the council tells {t.AgencyName}: \u201c{t.Text}\u201d",
        SafeguardingNoticeReceived n => $"notice from {n.CouncilName} about {n.ReferralReference}",
        FamilyInformed f => $"family told by letter (PDF SHA-256 {f.LetterSha256[..12]}\u2026): {f.Summary}",
        FurtherContactAlertRaised a => $"alert to the officer in the case: {a.Explanation}",
        RecordShared s => $"shared with {s.SharedWithAgencyId}: {s.Reason}",
        _ => null,
    };
}
