using Threshold.Access;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;
using Threshold.Safeguarding;
using Threshold.Storage.Policing;

namespace Threshold.Policing;

public sealed record IncidentView(string Id, DateTimeOffset OccurredAt, string Channel, string? ContentReference, string Summary, bool AgainstVictim, string? SourceContactId);

public sealed record ProposalView(string ProposalId, string Disposal, string Title, string Framework, string? OutcomeReason, IReadOnlyList<string> Conditions,
    bool EvidentialStandardMet, string Reasons, string ProposedBy, DateTimeOffset ProposedAt, string? AuthorisedBy, DateTimeOffset? AuthorisedAt, string? AuthorisationReasons);

public sealed record InstructionView(string InstructionId, DateOnly IssuedOn, string? StatutoryOrder, DateOnly? EndsOn, NoContactSubject Subject,
    IReadOnlyList<PersonDetails> ProtectedPersons, IReadOnlyList<string> ProtectedAgencies);

/// <summary>A referral the case made to children's services, with its outcome as the council has shared it.</summary>
public sealed record ChildReferralView(string ReferralId, string LocalAuthority, string LocalAuthorityName, string Children, string ChosenBy, DateTimeOffset ReferredAt,
    string? Reference, string? Status, string? Decision, string? Outcome, string? Finding);

/// <summary>What a council was shown about this case by the referral integrity check, and under which agreement.</summary>
public sealed record DisclosureView(string Council, string Referral, string Signal, string Disclosed, string Agreement, DateTimeOffset At);

public sealed record AlertView(string AlertId, string InstructionId, string From, string? ContactId, string? ReferralId, DateTimeOffset ReceivedAt, bool Breach, string Explanation);

/// <summary>
/// Everything a case page or API client shows about one case: people, incidents, the catalogue's advice per
/// offence, the officer's decision, accounts, victim's views and updates, the disposal, instructions and
/// orders, intelligence, child-concern referrals with their outcome, alerts, and which steps are open now.
/// </summary>
public sealed record PoliceCaseView(
    string Id, string Reference, string Status, string OfficerEmail, string OfficerName,
    PersonDetails Victim, IReadOnlyList<PersonDetails> Suspects, IReadOnlyList<PersonDetails> Household,
    string? OffenceCode, string Summary, bool DomesticAbuse, CrimeReportLink? Report, DateTimeOffset OpenedAt,
    IReadOnlyList<IncidentView> Incidents, IReadOnlyList<OffenceAssessment> Assessment, OffenceDecisionRecorded? OffenceDecision,
    IReadOnlyList<SuspectAccountRecorded> SuspectAccounts, IReadOnlyList<VictimViewsRecorded> VictimViews,
    ProposalView? Disposal, IReadOnlyList<DisposalRejected> SentBack, IReadOnlyList<VictimInformed> VictimUpdates, DateOnly? VictimUpdateDue, bool VictimUpdateOverdue,
    IReadOnlyList<InstructionView> Instructions, IReadOnlyList<StatutoryOrderRecorded> Orders, IReadOnlyList<IntelligenceEntryRecorded> Intelligence,
    IReadOnlyList<ChildReferralView> ChildReferrals, IReadOnlyList<AlertView> Alerts, IReadOnlyList<DisclosureView> Disclosures, IReadOnlyList<string> NextSteps, string Framework,
    PoliceCaseClosed? Closure, long Version)
{
    public static string Slug(PoliceCaseStatus s) => s switch
    {
        PoliceCaseStatus.Reported => "reported",
        PoliceCaseStatus.UnderInvestigation => "under-investigation",
        PoliceCaseStatus.DisposalProposed => "disposal-proposed",
        PoliceCaseStatus.DisposalAuthorised => "disposal-authorised",
        PoliceCaseStatus.Closed => "closed",
        _ => s.ToString(),
    };

    public static string StepSlug(PoliceCaseStep s) => string.Concat(s.ToString().Select((ch, i) => char.IsUpper(ch) && i > 0 ? "-" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));

    /// <summary>Builds the view; <paramref name="referrals"/> are the outcomes read (through the gateway) for the case's child-concern referrals.</summary>
    public static PoliceCaseView From(LoadedPoliceCase loaded, string framework, DateOnly today, IReadOnlyList<PoliceAlertRow> alerts,
        IReadOnlyDictionary<string, LoadedReferral> referrals, IReadOnlyList<Storage.Integrity.DisclosureRow> disclosures)
    {
        var c = loaded.Case;
        var o = c.Opened;
        var disposals = DisposalCatalogue.Default;
        var proposal = c.CurrentProposal is { } p
            ? new ProposalView(p.ProposalId, p.Disposal, disposals.All.FirstOrDefault(d => d.Code == p.Disposal)?.Title ?? p.Disposal, p.Framework, p.OutcomeReason, p.Conditions,
                p.EvidentialStandardMet, p.Reasons, p.ProposedBy, p.ProposedAt, c.Authorisation?.AuthorisedBy, c.Authorisation?.At, c.Authorisation?.Reasons)
            : null;
        return new PoliceCaseView(
            loaded.Id, o.Reference, Slug(c.Status), c.OfficerEmail, c.OfficerName, o.Victim, o.Suspects, o.Household, c.OffenceDecision?.OffenceCode ?? o.OffenceCode,
            o.Summary, o.DomesticAbuse, o.Report, o.OpenedAt,
            [.. c.Incidents.OrderBy(i => i.OccurredAt).Select(i => new IncidentView(i.IncidentId, i.OccurredAt, i.Channel, i.ContentReference, i.Summary, i.AgainstVictim, i.SourceContactId))],
            c.Assess(OffenceCatalogue.Default), c.OffenceDecision, c.Accounts, c.VictimViews, proposal, c.Rejections, c.VictimUpdates,
            c.VictimUpdateDue, c.IsOverdueForVictimUpdate(today),
            [.. c.Instructions.Select(n => new InstructionView(n.InstructionId, n.IssuedOn, n.StatutoryOrder, n.EndsOn, n.Suspect, n.ProtectedPersons ?? [], n.ProtectedAgencyIds))],
            c.Orders, c.Intelligence,
            [.. c.ChildReferrals.Select(r => Referral(r, referrals.GetValueOrDefault(r.ReferralId)))],
            [.. alerts.Select(a => new AlertView(a.AlertId, a.InstructionId, a.SourceAgencyId, a.ReferralId is null ? a.ContactId : null, a.ReferralId,
                DateTimeOffset.Parse(a.ReceivedAt, System.Globalization.CultureInfo.InvariantCulture), a.Breach == 1, a.Explanation))],
            [.. disclosures.Select(d => new DisclosureView(d.CouncilName, d.ReferralReference, d.SignalKind, d.Disclosed, d.AgreementId,
                DateTimeOffset.Parse(d.DisclosedAt, System.Globalization.CultureInfo.InvariantCulture)))],
            [.. PoliceCase.Table.Where(t => c.Allows(t.Step)).Select(t => StepSlug(t.Step))], framework, c.Closure, loaded.Version);
    }

    private static ChildReferralView Referral(ChildConcernReferred r, LoadedReferral? loaded)
    {
        var referral = loaded?.Referral;
        return new ChildReferralView(r.ReferralId, r.LocalAuthority, r.LocalAuthorityName, r.Children, r.ChosenBy, r.At,
            referral?.Received.Reference, referral is null ? null : ReferralsApi.Slug(referral.Status),
            referral?.Triage?.Decision, referral?.Section47Outcome?.Outcome ?? referral?.StrategyDiscussion?.Decision,
            referral?.EffectiveFinding);
    }
}

/// <summary>One row of a police work list.</summary>
public sealed record PoliceWorkItem(string Id, string Reference, string Status, string OfficerName, string VictimName, string SuspectNames, string? OffenceCode,
    long IncidentCount, string? ProposedDisposal, string? ProposedBy, DateOnly? VictimUpdateDue, bool VictimUpdateOverdue)
{
    public static PoliceWorkItem From(PoliceCaseRow r, DateOnly today)
    {
        DateOnly? due = r.VictimUpdateDue is { } d ? DateOnly.ParseExact(d, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null;
        return new PoliceWorkItem(r.CaseId, r.Reference, Slug(r.Status), r.OfficerName, r.VictimName, r.SuspectNames, r.OffenceCode, r.IncidentCount,
            r.ProposedDisposal, r.ProposedBy, due, due is { } x && x < today);
    }

    private static string Slug(string status) => Enum.TryParse<PoliceCaseStatus>(status, out var s) ? PoliceCaseView.Slug(s) : status;
}

/// <summary>The lists police work from, and the case view, each read through the read gateway (lists audited as lists, a case as a content read).</summary>
public sealed class PoliceWorkLists(PoliceQueries queries, ReadGateway gateway, PoliceCaseService cases, ReferralService referrals, Storage.Integrity.IntegrityQueries integrity)
{
    public static IReadOnlyList<string> Names { get; } = ["my-cases", "new-reports", "awaiting-authorisation", "overdue-victim-updates"];

    /// <summary>A named work list (see <see cref="Names"/>); null for an unknown name.</summary>
    public async Task<IReadOnlyList<PoliceWorkItem>?> ListAsync(CurrentUser user, string name, ReadChannel channel, int limit = 100, CancellationToken ct = default)
    {
        var today = cases.Today;
        IReadOnlyList<PoliceCaseRow>? rows = name switch
        {
            "my-cases" => await queries.MyCasesAsync(user.AgencyId, user.Email, limit, ct),
            "new-reports" => await queries.NewReportsAsync(user.AgencyId, limit, ct),
            "awaiting-authorisation" => await queries.AwaitingAuthorisationAsync(user.AgencyId, limit, ct),
            "overdue-victim-updates" => await queries.OverdueVictimUpdatesAsync(user.AgencyId, today, limit, ct),
            _ => null,
        };
        if (rows is null)
        {
            return null;
        }
        await gateway.AuditListAsync(user, $"police {name}", channel, rows.Count, ct);
        return [.. rows.Select(r => PoliceWorkItem.From(r, today))];
    }

    /// <summary>Further-contact and breach alerts: the officer's own, or the force's.</summary>
    public async Task<IReadOnlyList<AlertView>> AlertsAsync(CurrentUser user, bool mineOnly, bool breachesOnly, ReadChannel channel, int limit = 100, CancellationToken ct = default)
    {
        var rows = await queries.AlertsAsync(user.AgencyId, mineOnly ? user.Email : null, breachesOnly, limit, ct);
        await gateway.AuditListAsync(user, breachesOnly ? "police breach alerts" : "police further-contact alerts", channel, rows.Count, ct);
        return [.. rows.Select(a => new AlertView(a.AlertId, a.InstructionId, a.SourceAgencyId, a.ReferralId is null ? a.ContactId : null, a.ReferralId,
            DateTimeOffset.Parse(a.ReceivedAt, System.Globalization.CultureInfo.InvariantCulture), a.Breach == 1, a.Explanation))];
    }

    /// <summary>The case page's model; null is 404. Reading the child-concern referrals' outcomes is audited too (they are the council's records, shared back).</summary>
    public async Task<PoliceCaseView?> CaseViewAsync(CurrentUser user, string caseId, ReadChannel channel, CancellationToken ct = default)
    {
        var loaded = await cases.LoadAsync(user, caseId, channel, "police case view", ct);
        return loaded is null ? null : await ViewAsync(user, loaded, channel, ct);
    }

    public async Task<PoliceCaseView> ViewAsync(CurrentUser user, LoadedPoliceCase loaded, ReadChannel channel, CancellationToken ct = default)
    {
        var alerts = await queries.AlertsForCaseAsync(loaded.Id, ct);
        var outcomes = new Dictionary<string, LoadedReferral>(StringComparer.Ordinal);
        foreach (var r in loaded.Case.ChildReferrals)
        {
            if (await referrals.LoadAsync(user, r.ReferralId, channel, $"outcome of the referral from police case {loaded.Case.Opened.Reference}", ct) is { } referral)
            {
                outcomes[r.ReferralId] = referral;
            }
        }
        return PoliceCaseView.From(loaded, cases.Framework, cases.Today, alerts, outcomes, await integrity.DisclosuresForCaseAsync(loaded.Id, ct));
    }
}
