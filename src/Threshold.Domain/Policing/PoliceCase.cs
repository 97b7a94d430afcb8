using Threshold.Domain.Calendar;
using Threshold.Domain.Safeguarding;

namespace Threshold.Domain.Policing;

/// <summary>Where a police case stands.</summary>
public enum PoliceCaseStatus
{
    Reported,
    UnderInvestigation,
    DisposalProposed,
    DisposalAuthorised,
    Closed,
}

/// <summary>The things that can be done to a police case; each has one row in the transition table.</summary>
public enum PoliceCaseStep
{
    StartInvestigation,
    RecordIncident,
    RecordOffenceDecision,
    RecordSuspectAccount,
    RecordVictimViews,
    ProposeDisposal,
    AuthoriseDisposal,
    RejectDisposal,
    InformVictim,
    IssueNoContactInstruction,
    RecordStatutoryOrder,
    RecordIntelligence,
    ReferChildConcern,
    Close,
}

/// <summary>One row of the transition table: the states a step is allowed from, and the rule that refuses it otherwise.</summary>
public sealed record PoliceCaseTransition(PoliceCaseStep Step, IReadOnlySet<PoliceCaseStatus> From, string Rule, string Message);

/// <summary>The suspect accounts a case accepts.</summary>
public static class SuspectAccounts
{
    public const string Admitted = "admitted";
    public const string Denied = "denied";
    public const string NoComment = "no-comment";

    public static IReadOnlyList<string> All { get; } = [Admitted, Denied, NoComment];

    public static IReadOnlyList<string> Settings { get; } = ["interview", "voluntary-attendance"];
}

/// <summary>
/// A police harassment case, rebuilt from its events: report → investigation → disposal proposed →
/// authorised (by a supervisor who is not the proposer) or sent back → closed. Every change goes
/// through <see cref="Check"/> against the one transition table below, then the step's own rules;
/// a refusal is a <see cref="DomainRuleException"/> with the rule's name and a plain message.
/// </summary>
public sealed class PoliceCase
{
    private static readonly IReadOnlySet<PoliceCaseStatus> Any = new HashSet<PoliceCaseStatus>(Enum.GetValues<PoliceCaseStatus>());
    private static readonly IReadOnlySet<PoliceCaseStatus> Open = new HashSet<PoliceCaseStatus>(Any.Where(s => s != PoliceCaseStatus.Closed));
    private static readonly IReadOnlySet<PoliceCaseStatus> Investigating = new HashSet<PoliceCaseStatus> { PoliceCaseStatus.UnderInvestigation };
    private static readonly IReadOnlySet<PoliceCaseStatus> Proposed = new HashSet<PoliceCaseStatus> { PoliceCaseStatus.DisposalProposed };

    /// <summary>The police case lifecycle.</summary>
    public static IReadOnlyList<PoliceCaseTransition> Table { get; } =
    [
        new(PoliceCaseStep.StartInvestigation, new HashSet<PoliceCaseStatus> { PoliceCaseStatus.Reported },
            "InvestigationAlreadyStarted", "The investigation has already started."),
        new(PoliceCaseStep.RecordIncident, new HashSet<PoliceCaseStatus> { PoliceCaseStatus.Reported, PoliceCaseStatus.UnderInvestigation },
            "IncidentsBeforeDisposal", "Incidents are added while the case is being investigated; once a disposal is proposed, a supervisor must send it back first."),
        new(PoliceCaseStep.RecordOffenceDecision, Investigating,
            "OffenceDecisionNeedsInvestigation", "The offence decision is recorded during the investigation, before a disposal is proposed."),
        new(PoliceCaseStep.RecordSuspectAccount, Investigating,
            "SuspectAccountNeedsInvestigation", "The suspect's account is recorded during the investigation, before a disposal is proposed."),
        new(PoliceCaseStep.RecordVictimViews, new HashSet<PoliceCaseStatus> { PoliceCaseStatus.Reported, PoliceCaseStatus.UnderInvestigation, PoliceCaseStatus.DisposalProposed },
            "VictimViewsBeforeDecision", "The victim's views are sought before the disposal is decided."),
        new(PoliceCaseStep.ProposeDisposal, Investigating,
            "DisposalNeedsInvestigation", "A disposal is proposed once the investigation is under way, and only one at a time."),
        new(PoliceCaseStep.AuthoriseDisposal, Proposed,
            "NoDisposalAwaitsAuthorisation", "There is no proposed disposal awaiting authorisation on this case."),
        new(PoliceCaseStep.RejectDisposal, Proposed,
            "NoDisposalAwaitsAuthorisation", "There is no proposed disposal awaiting authorisation on this case."),
        new(PoliceCaseStep.InformVictim, Any, "", ""),
        new(PoliceCaseStep.IssueNoContactInstruction, Open,
            "CaseIsClosed", "This case is closed: a no-contact instruction needs an open case."),
        new(PoliceCaseStep.RecordStatutoryOrder, Any, "", ""),
        new(PoliceCaseStep.RecordIntelligence, Any, "", ""),
        new(PoliceCaseStep.ReferChildConcern, Any, "", ""),
        new(PoliceCaseStep.Close, new HashSet<PoliceCaseStatus> { PoliceCaseStatus.DisposalAuthorised },
            "CloseNeedsAuthorisedDisposal", "A case is closed once its disposal has been authorised."),
    ];

    private readonly List<IEvent> _events = [];
    private readonly List<IncidentRecorded> _incidents = [];
    private readonly List<SuspectAccountRecorded> _accounts = [];
    private readonly List<VictimViewsRecorded> _views = [];
    private readonly List<DisposalProposed> _proposals = [];
    private readonly List<DisposalRejected> _rejections = [];
    private readonly List<VictimInformed> _victimUpdates = [];
    private readonly List<NoContactInstructionRecorded> _instructions = [];
    private readonly List<StatutoryOrderRecorded> _orders = [];
    private readonly List<IntelligenceEntryRecorded> _intelligence = [];
    private readonly List<ChildConcernReferred> _referrals = [];

    private PoliceCase(PoliceCaseOpened opened)
    {
        Opened = opened;
        OfficerEmail = opened.OfficerEmail;
        OfficerName = opened.OfficerName;
        VictimUpdateDue = opened.VictimUpdateDue;
    }

    public PoliceCaseOpened Opened { get; }

    /// <summary>Every event the case was rebuilt from, in order.</summary>
    public IReadOnlyList<IEvent> Events => _events;

    public PoliceCaseStatus Status { get; private set; } = PoliceCaseStatus.Reported;

    public string OfficerEmail { get; private set; }

    public string OfficerName { get; private set; }

    public IReadOnlyList<IncidentRecorded> Incidents => _incidents;

    public OffenceDecisionRecorded? OffenceDecision { get; private set; }

    public IReadOnlyList<SuspectAccountRecorded> Accounts => _accounts;

    public IReadOnlyList<VictimViewsRecorded> VictimViews => _views;

    public IReadOnlyList<DisposalProposed> Proposals => _proposals;

    public IReadOnlyList<DisposalRejected> Rejections => _rejections;

    /// <summary>The proposal awaiting authorisation, or the one authorised.</summary>
    public DisposalProposed? CurrentProposal { get; private set; }

    public DisposalAuthorised? Authorisation { get; private set; }

    public IReadOnlyList<VictimInformed> VictimUpdates => _victimUpdates;

    /// <summary>When the victim is next owed an update; null when nothing more is owed.</summary>
    public DateOnly? VictimUpdateDue { get; private set; }

    public IReadOnlyList<NoContactInstructionRecorded> Instructions => _instructions;

    public IReadOnlyList<StatutoryOrderRecorded> Orders => _orders;

    public IReadOnlyList<IntelligenceEntryRecorded> Intelligence => _intelligence;

    public IReadOnlyList<ChildConcernReferred> ChildReferrals => _referrals;

    public PoliceCaseClosed? Closure { get; private set; }

    public static PoliceCase From(IEnumerable<IEvent> events)
    {
        PoliceCase? c = null;
        foreach (var e in events)
        {
            if (e is PoliceCaseOpened opened)
            {
                c = new PoliceCase(opened);
                c._events.Add(opened);
                continue;
            }
            if (c is null)
            {
                throw new InvalidOperationException("A police case stream must start with PoliceCaseOpened.");
            }
            c._events.Add(e);
            c.Apply(e);
        }
        return c ?? throw new InvalidOperationException("The stream holds no police case.");
    }

    private void Apply(IEvent e)
    {
        switch (e)
        {
            case InvestigationStarted s:
                Status = PoliceCaseStatus.UnderInvestigation;
                OfficerEmail = s.OfficerEmail;
                OfficerName = s.OfficerName;
                break;
            case IncidentRecorded i:
                _incidents.Add(i);
                break;
            case OffenceDecisionRecorded d:
                OffenceDecision = d;
                break;
            case SuspectAccountRecorded a:
                _accounts.Add(a);
                break;
            case VictimViewsRecorded v:
                _views.Add(v);
                break;
            case DisposalProposed p:
                _proposals.Add(p);
                CurrentProposal = p;
                Status = PoliceCaseStatus.DisposalProposed;
                break;
            case DisposalAuthorised a:
                Authorisation = a;
                Status = PoliceCaseStatus.DisposalAuthorised;
                VictimUpdateDue = VictimUpdateDue is { } due && due < a.VictimToBeInformedBy ? due : a.VictimToBeInformedBy;
                break;
            case DisposalRejected r:
                _rejections.Add(r);
                CurrentProposal = null;
                Status = PoliceCaseStatus.UnderInvestigation;
                break;
            case VictimInformed v:
                _victimUpdates.Add(v);
                VictimUpdateDue = v.NextUpdateDue;
                break;
            case NoContactInstructionRecorded n:
                _instructions.Add(n);
                break;
            case StatutoryOrderRecorded o:
                _orders.Add(o);
                break;
            case IntelligenceEntryRecorded i:
                _intelligence.Add(i);
                break;
            case ChildConcernReferred r:
                _referrals.Add(r);
                break;
            case PoliceCaseClosed c:
                Closure = c;
                Status = PoliceCaseStatus.Closed;
                break;
            default:
                break;
        }
    }

    /// <summary>Refuses a step the table does not allow from the current state. A closed case always answers <c>CaseIsClosed</c>.</summary>
    public void Check(PoliceCaseStep step)
    {
        var row = Table.Single(t => t.Step == step);
        if (row.From.Contains(Status))
        {
            return;
        }
        if (Status == PoliceCaseStatus.Closed)
        {
            throw new DomainRuleException("CaseIsClosed", $"This case is closed ({Closure?.Reason}): nothing more can be proposed or decided on it.");
        }
        throw new DomainRuleException(row.Rule, row.Message);
    }

    public bool Allows(PoliceCaseStep step) => Table.Single(t => t.Step == step).From.Contains(Status);

    public PersonDetails Suspect(int index) =>
        index >= 0 && index < Opened.Suspects.Count
            ? Opened.Suspects[index]
            : throw new DomainRuleException("SuspectMustBeOnCase", $"The case has {Opened.Suspects.Count} suspect(s): suspect {index + 1} is not one of them.");

    /// <summary>The latest account the suspect gave, if any.</summary>
    public SuspectAccountRecorded? LatestAccount(int suspect) => _accounts.LastOrDefault(a => a.Suspect == suspect);

    public bool IsOverdueForVictimUpdate(DateOnly today) => VictimUpdateDue is { } due && due < today;

    public InvestigationStarted StartInvestigation(string officerEmail, string officerName, DateTimeOffset at)
    {
        Check(PoliceCaseStep.StartInvestigation);
        return new InvestigationStarted(officerEmail, officerName, at);
    }

    public IncidentRecorded RecordIncident(string incidentId, DateTimeOffset occurredAt, string channel, string? contentReference, string? summary, bool againstVictim, DateTimeOffset now, string? sourceContactId = null)
    {
        Check(PoliceCaseStep.RecordIncident);
        if (occurredAt > now.AddMinutes(5))
        {
            throw new DomainRuleException("IncidentCannotBeInFuture", "An incident's date and time cannot be in the future.");
        }
        return new IncidentRecorded(incidentId, occurredAt, PoliceCaseRules.Channel(channel), Text(contentReference, "content reference", 500),
            Text(summary, "incident summary", 5000) ?? "", againstVictim, sourceContactId);
    }

    /// <summary>The catalogue's advice for every offence against this case's incidents.</summary>
    public IReadOnlyList<OffenceAssessment> Assess(OffenceCatalogue catalogue) => catalogue.AssessAll(Facts());

    public IReadOnlyList<IncidentFacts> Facts() => [.. _incidents.Select(i => new IncidentFacts(i.OccurredAt, i.Channel, i.AgainstVictim))];

    public OffenceDecisionRecorded RecordOffenceDecision(OffenceCatalogue catalogue, string? offence, string? decision, string? reasons, string by, DateTimeOffset at)
    {
        Check(PoliceCaseStep.RecordOffenceDecision);
        var o = catalogue.Resolve(offence);
        var d = decision?.Trim().ToLowerInvariant() switch
        {
            "crime-recorded" or "offence-made-out" or null or "" => "crime-recorded",
            "no-crime" or "no-offence" => "no-crime",
            _ => throw new DomainRuleException("OffenceDecisionMustBeKnown", "The decision is crime-recorded (the offence is made out on the evidence) or no-crime."),
        };
        var why = Require(reasons, "OffenceDecisionNeedsReasons", "Record the reasons for the offence decision: the catalogue advises, the officer decides.");
        var assessment = catalogue.Assess(o, Facts());
        return new OffenceDecisionRecorded(o.Code, d, why, by, at, catalogue.Version, assessment.Supported, assessment.Missing);
    }

    public SuspectAccountRecorded RecordSuspectAccount(int suspect, DateOnly on, string? how, string? account, string? notes, string by, DateOnly today)
    {
        Check(PoliceCaseStep.RecordSuspectAccount);
        Suspect(suspect);
        var setting = how?.Trim().ToLowerInvariant() ?? "";
        if (!SuspectAccounts.Settings.Contains(setting))
        {
            throw new DomainRuleException("AccountSettingMustBeKnown", "Say how the account was given: interview or voluntary-attendance.");
        }
        var a = account?.Trim().ToLowerInvariant() ?? "";
        if (!SuspectAccounts.All.Contains(a))
        {
            throw new DomainRuleException("AccountMustBeKnown", "The suspect's account is admitted, denied or no-comment.");
        }
        NotFuture(on, today, "the account");
        return new SuspectAccountRecorded(suspect, on, setting, a, Text(notes, "notes", 10_000) ?? "", by);
    }

    public VictimViewsRecorded RecordVictimViews(DateOnly on, string? how, string? views, string by, DateOnly today)
    {
        Check(PoliceCaseStep.RecordVictimViews);
        var h = Require(how, "VictimViewsNeedHowObtained", "Say how the victim's views were obtained (in person, by phone, by e-mail, …).");
        var v = Require(views, "VictimViewsNeedText", "Record the victim's views in her own words.");
        NotFuture(on, today, "the victim's views");
        return new VictimViewsRecorded(on, Text(h, "how obtained", 200)!, Text(v, "victim's views", 10_000)!, by);
    }

    /// <summary>
    /// Proposes a disposal under the configured framework, checking each rule the catalogue gives it:
    /// an admission, the evidential standard, not a community resolution for domestic abuse, an outcome
    /// reason for no further action, and — for an out-of-court disposal — the victim's views first.
    /// </summary>
    public DisposalProposed ProposeDisposal(DisposalCatalogue catalogue, string framework, string proposalId, int suspect, string? disposal,
        string? outcomeReason, IReadOnlyList<string>? conditions, bool evidentialStandardMet, string? reasons, string by, DateTimeOffset at)
    {
        Check(PoliceCaseStep.ProposeDisposal);
        Suspect(suspect);
        var d = catalogue.Find(disposal, framework);
        string? reason = null;
        if (d.NeedsOutcomeReason)
        {
            if (string.IsNullOrWhiteSpace(outcomeReason))
            {
                throw new DomainRuleException("NoFurtherActionNeedsOutcomeReason", "No further action needs its outcome reason (" + string.Join("; ", catalogue.OutcomeReasons.Select(r => $"{r.Code}: {r.Title}")) + ").");
            }
            reason = catalogue.Reason(outcomeReason).Code;
        }
        if (d.Code != "no-further-action" && OffenceDecision is not { Decision: "crime-recorded" })
        {
            throw new DomainRuleException("DisposalNeedsOffenceDecision", $"Record the offence decision (with reasons) before proposing a {d.Title.ToLowerInvariant()}.");
        }
        if (!d.AllowedForDomesticAbuse && Opened.DomesticAbuse)
        {
            throw new DomainRuleException("CommunityResolutionNotForDomesticAbuse", $"A {d.Title.ToLowerInvariant()} is not used where the offending is domestic abuse.");
        }
        if (d.NeedsAdmission && LatestAccount(suspect)?.Account != SuspectAccounts.Admitted)
        {
            throw new DomainRuleException("DisposalNeedsAdmission",
                $"A {d.Title.ToLowerInvariant()} needs the suspect's admission: record an account of 'admitted' from interview or voluntary attendance first.");
        }
        if (d.NeedsEvidentialStandard && !evidentialStandardMet)
        {
            throw new DomainRuleException("DisposalNeedsEvidentialStandard",
                $"A {d.Title.ToLowerInvariant()} needs the evidential standard to be met (a realistic prospect of conviction); say so in the proposal if it is.");
        }
        if (d.OutOfCourt && _views.Count == 0)
        {
            throw new DomainRuleException("OutOfCourtDisposalNeedsVictimViews",
                $"Seek the victim's views and record them (date and how obtained) before proposing a {d.Title.ToLowerInvariant()} (Victims' Code). They inform the decision; they are not a veto.");
        }
        var conds = (conditions ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => Text(c, "condition", 1000)!).ToList();
        if (conds.Count > 0 && !d.Conditions)
        {
            throw new DomainRuleException("DisposalTakesNoConditions", $"A {d.Title.ToLowerInvariant()} carries no conditions.");
        }
        var why = Require(reasons, "DisposalNeedsReasons", "Give the reasons for the proposed disposal.");
        return new DisposalProposed(proposalId, suspect, d.Code, DisposalCatalogue.CheckFramework(framework), reason, conds, evidentialStandardMet,
            Text(why, "reasons", 10_000)!, by, at, catalogue.Version);
    }

    /// <summary>Four eyes: a supervisor who is not the proposer.</summary>
    public DisposalAuthorised AuthoriseDisposal(DisposalCatalogue catalogue, string? reasons, string by, bool isSupervisor, DateTimeOffset at, WorkingDayCalendar calendar)
    {
        Check(PoliceCaseStep.AuthoriseDisposal);
        var p = CurrentProposal!;
        FourEyes(p, by, isSupervisor);
        var why = Require(reasons, "AuthorisationNeedsReasons", "Record the reasons for authorising the disposal.");
        var informBy = calendar.AddWorkingDays(LondonTime.DateOf(at), catalogue.DecisionWorkingDays);
        return new DisposalAuthorised(p.ProposalId, by, Text(why, "reasons", 10_000)!, at, informBy);
    }

    public DisposalRejected RejectDisposal(string? reasons, string by, bool isSupervisor, DateTimeOffset at)
    {
        Check(PoliceCaseStep.RejectDisposal);
        FourEyes(CurrentProposal!, by, isSupervisor);
        var why = Require(reasons, "RejectionNeedsReasons", "Say why the proposal is sent back.");
        return new DisposalRejected(CurrentProposal!.ProposalId, by, Text(why, "reasons", 10_000)!, at);
    }

    private static void FourEyes(DisposalProposed p, string by, bool isSupervisor)
    {
        if (string.Equals(p.ProposedBy, by, StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainRuleException("ProposerCannotAuthorise", "You proposed this disposal: another supervisor must authorise it (four eyes).");
        }
        if (!isSupervisor)
        {
            throw new DomainRuleException("AuthorisationNeedsSupervisor", "Only a supervisor can authorise or send back a proposed disposal.");
        }
    }

    /// <summary>
    /// The victim was told. Unless the officer names the next date, the next update falls due after the
    /// force's interval; once the decision is authorised or the case closed, telling her settles it.
    /// </summary>
    public VictimInformed InformVictim(DisposalCatalogue catalogue, DateOnly on, string? how, string? what, DateOnly? nextUpdateDue, string by, DateOnly today)
    {
        Check(PoliceCaseStep.InformVictim);
        var h = Require(how, "VictimUpdateNeedsHow", "Say how the victim was told (in person, by phone, by letter, …).");
        var w = Require(what, "VictimUpdateNeedsWhat", "Say what the victim was told.");
        NotFuture(on, today, "the update");
        if (nextUpdateDue is { } n && n < on)
        {
            throw new DomainRuleException("NextUpdateMustFollow", "The next update must be due after this one.");
        }
        var settled = Status is PoliceCaseStatus.DisposalAuthorised or PoliceCaseStatus.Closed;
        var next = nextUpdateDue ?? (settled ? null : on.AddDays(catalogue.UpdateIntervalDays));
        return new VictimInformed(on, Text(h, "how", 200)!, Text(w, "what", 10_000)!, by, next);
    }

    /// <summary>
    /// A non-statutory no-contact instruction against a suspect, protecting the victim, her household
    /// and the offices that reported, plus <c>otherOffices</c> (already checked to be offices). The
    /// harassment log's further-contact hook reads this event.
    /// </summary>
    public NoContactInstructionRecorded IssueNoContactInstruction(string instructionId, string policeAgencyId, int suspect, DateOnly issuedOn, DateOnly today,
        IReadOnlyList<string>? otherOffices = null)
    {
        Check(PoliceCaseStep.IssueNoContactInstruction);
        NotFuture(issuedOn, today, "the instruction");
        return Instruction(instructionId, policeAgencyId, suspect, issuedOn, null, null, otherOffices);
    }

    public static IReadOnlyList<(string Code, string Title)> OrderKinds { get; } =
    [
        ("restraining-order", "restraining order"),
        ("stalking-protection-order", "stalking protection order"),
        ("domestic-abuse-protection-order", "domestic abuse protection order"),
    ];

    /// <summary>A statutory order, and the instruction record that makes contact against it a possible breach at the offices' door.</summary>
    public (StatutoryOrderRecorded Order, NoContactInstructionRecorded Instruction) RecordStatutoryOrder(
        string orderId, string policeAgencyId, string? kind, int suspect, DateOnly madeOn, DateOnly? endsOn, string? court, IReadOnlyList<string>? terms, string by, DateOnly today)
    {
        Check(PoliceCaseStep.RecordStatutoryOrder);
        Suspect(suspect);
        var k = OrderKinds.FirstOrDefault(o => o.Code == kind?.Trim().ToLowerInvariant());
        if (k.Code is null)
        {
            throw new DomainRuleException("OrderKindMustBeKnown", $"The order is one of: {string.Join(", ", OrderKinds.Select(o => o.Code))}. Non-statutory advice is a no-contact instruction instead.");
        }
        NotFuture(madeOn, today, "the order");
        if (endsOn is { } end && end <= madeOn)
        {
            throw new DomainRuleException("OrderMustEndAfterItIsMade", "The order's end date must be after the date it was made.");
        }
        var t = (terms ?? []).Where(x => !string.IsNullOrWhiteSpace(x)).Select(x => Text(x, "term", 2000)!).ToList();
        if (t.Count == 0)
        {
            throw new DomainRuleException("OrderNeedsTerms", "Record the order's terms (what the suspect must not do).");
        }
        var order = new StatutoryOrderRecorded(orderId, k.Code, suspect, madeOn, endsOn, Text(court, "court", 200) ?? "", t, by);
        return (order, Instruction($"{orderId}-contact", policeAgencyId, suspect, madeOn, k.Title, endsOn));
    }

    private NoContactInstructionRecorded Instruction(string id, string policeAgencyId, int suspect, DateOnly issuedOn, string? order, DateOnly? endsOn,
        IReadOnlyList<string>? otherOffices = null)
    {
        var s = Suspect(suspect);
        var subject = new NoContactSubject(s.GivenName, s.FamilyName, s.DateOfBirth,
            s.Email is { Length: > 0 } e ? [e] : [], s.Phone is { Length: > 0 } p ? [p] : []);
        var offices = (Opened.Report is { } r ? new[] { r.OfficeId } : []).Concat(otherOffices ?? []).Distinct(StringComparer.Ordinal).ToList();
        return new NoContactInstructionRecorded(id, Opened.CaseId, policeAgencyId, OfficerEmail, OfficerName, issuedOn, subject, offices, order,
            [Opened.Victim, .. Opened.Household], endsOn);
    }

    /// <summary>3x5x2 grading (College of Policing APP, intelligence management).</summary>
    public static IReadOnlyList<string> SourceEvaluations { get; } = ["1", "2", "3"];

    public static IReadOnlyList<string> IntelligenceAssessments { get; } = ["A", "B", "C", "D", "E"];

    public static IReadOnlyList<string> HandlingCodes { get; } = ["P", "C"];

    public static IntelligenceEntryRecorded RecordIntelligence(string entryId, string? caseId, PersonDetails subject, string? summary, string? source, string? assessment,
        string? handling, string? restrictions, string by, DateTimeOffset at, string trigger, DateOnly today)
    {
        var s = ReferralIntake.CheckPerson(subject, "subject", today, child: false);
        if (string.IsNullOrWhiteSpace(s.FamilyName) && string.IsNullOrWhiteSpace(s.GivenName))
        {
            throw new DomainRuleException("IntelligenceNeedsSubject", "Name the intelligence entry's subject.");
        }
        var text = Require(summary, "IntelligenceNeedsSummary", "Write the intelligence summary.");
        var src = source?.Trim() ?? "";
        var ass = assessment?.Trim().ToUpperInvariant() ?? "";
        var hc = handling?.Trim().ToUpperInvariant() ?? "";
        if (!SourceEvaluations.Contains(src) || !IntelligenceAssessments.Contains(ass) || !HandlingCodes.Contains(hc))
        {
            throw new DomainRuleException("IntelligenceNeedsGrading",
                "Grade the entry 3x5x2: source evaluation 1, 2 or 3; intelligence assessment A to E; handling code P or C.");
        }
        if (hc == "C" && string.IsNullOrWhiteSpace(restrictions))
        {
            throw new DomainRuleException("HandlingConditionsNeedText", "Handling code C needs the conditions that apply to sharing.");
        }
        return new IntelligenceEntryRecorded(entryId, caseId, s, Text(text, "summary", 10_000)!, src, ass, hc, Text(restrictions, "handling restrictions", 2000), by, at, trigger);
    }

    /// <summary>The intelligence entry every authorised disposal records about the suspect ("a community resolution is not a conviction, but it is recorded locally").</summary>
    public IntelligenceEntryRecorded IntelligenceForDisposal(DisposalCatalogue catalogue, string entryId, string by, DateTimeOffset at, DateOnly today)
    {
        var p = CurrentProposal ?? throw new InvalidOperationException("No proposal.");
        var d = catalogue.All.First(x => x.Code == p.Disposal);
        var offence = OffenceDecision is { } o ? OffenceCatalogue.Default.TryResolve(o.OffenceCode, out var off) ? off!.Title.ToLowerInvariant() : o.OffenceCode : "the offence";
        var summary = $"{d.Title} authorised for {offence} ({Opened.Reference}), victim {Opened.Victim.DisplayName}." +
            (p.Conditions.Count > 0 ? $" Conditions: {string.Join("; ", p.Conditions)}." : "") +
            (d.Code == "community-resolution" ? " Not a conviction or a caution: recorded locally so the next officer sees it." : "");
        return RecordIntelligence(entryId, Opened.CaseId, Suspect(p.Suspect), summary, "1", "A", "P", null, by, at, $"disposal:{p.ProposalId}", today);
    }

    public ChildConcernReferred ReferChildConcern(string referralId, string localAuthority, string localAuthorityName, string children, string chosenBy, string by, DateTimeOffset at)
    {
        Check(PoliceCaseStep.ReferChildConcern);
        return new ChildConcernReferred(referralId, localAuthority, localAuthorityName, children, chosenBy, by, at);
    }

    public PoliceCaseClosed Close(string? reason, string by, DateTimeOffset at)
    {
        Check(PoliceCaseStep.Close);
        var r = Require(reason, "ClosureNeedsReason", "Say why the case is closed.");
        return new PoliceCaseClosed(Text(r, "reason", 2000)!, by, at);
    }

    private static void NotFuture(DateOnly day, DateOnly today, string what)
    {
        if (day > today)
        {
            throw new DomainRuleException("DateCannotBeInFuture", $"The date of {what} cannot be in the future.");
        }
    }

    internal static string Require(string? text, string rule, string message) =>
        string.IsNullOrWhiteSpace(text) ? throw new DomainRuleException(rule, message) : text.Trim();

    internal static string? Text(string? text, string what, int max) =>
        string.IsNullOrWhiteSpace(text) ? null : ReferralIntake.CheckText(text, what, max);
}
