using Threshold.Domain.Calendar;

namespace Threshold.Domain.Safeguarding;

/// <summary>Where a referral stands in its lifecycle.</summary>
public enum ReferralStatus
{
    Received,
    Closed,
    EarlyHelp,
    Assessment,
    AwaitingStrategyDiscussion,
    Section47Enquiry,
    ConferenceDue,
}

/// <summary>The things that can be done to a referral; each has one row in the transition table.</summary>
public enum ReferralStep
{
    Triage,
    HoldStrategyDiscussion,
    RecordSection47Outcome,
    RecordFinding,
    ConfirmMaliciousFinding,
    Annotate,
    Restrict,
    CorrectConcern,
    InformFamily,
    GiveReferrerFeedback,
    TellAgency,
}

/// <summary>One row of the transition table: from which states a step is allowed, and the rule that refuses it otherwise.</summary>
public sealed record ReferralTransition(ReferralStep Step, IReadOnlySet<ReferralStatus> From, string Rule, string Message);

/// <summary>
/// A safeguarding referral, rebuilt from its events. Every change goes through <see cref="Check"/>
/// against the one transition table below; an illegal step throws <see cref="DomainRuleException"/>
/// with the rule's name and a plain message (never a silent no-op).
/// </summary>
public sealed class Referral
{
    private static readonly IReadOnlySet<ReferralStatus> AnyStatus = new HashSet<ReferralStatus>(Enum.GetValues<ReferralStatus>());
    private static readonly IReadOnlySet<ReferralStatus> AfterTriage = new HashSet<ReferralStatus>(AnyStatus.Where(s => s != ReferralStatus.Received));

    /// <summary>The referral lifecycle (Children Act 1989 ss.17 and 47; Working Together 2023, chapter 4).</summary>
    public static IReadOnlyList<ReferralTransition> Table { get; } =
    [
        new(ReferralStep.Triage, new HashSet<ReferralStatus> { ReferralStatus.Received },
            "ReferralAlreadyTriaged", "This referral has already been triaged. Record what happened next instead of triaging it again."),
        new(ReferralStep.HoldStrategyDiscussion, new HashSet<ReferralStatus> { ReferralStatus.AwaitingStrategyDiscussion },
            "StrategyDiscussionNeedsTriageDecision", "A strategy discussion is recorded only after triage decided that one is needed, and only once."),
        new(ReferralStep.RecordSection47Outcome, new HashSet<ReferralStatus> { ReferralStatus.Section47Enquiry },
            "OutcomeNeedsSection47Enquiry", "A section 47 outcome needs a section 47 enquiry, started by a strategy discussion, and is recorded once."),
        new(ReferralStep.RecordFinding, AfterTriage,
            "FindingNeedsTriageFirst", "A finding on the allegation can only be recorded once the referral has been triaged."),
        new(ReferralStep.ConfirmMaliciousFinding, AfterTriage,
            "FindingNeedsTriageFirst", "There is no finding to confirm before the referral has been triaged."),
        new(ReferralStep.Annotate, AnyStatus, "", ""),
        new(ReferralStep.Restrict, AnyStatus, "", ""),
        new(ReferralStep.CorrectConcern, AnyStatus, "", ""),
        new(ReferralStep.InformFamily, AfterTriage,
            "FamilyLetterNeedsDecision", "The family can be told the outcome only once a decision has been made."),
        new(ReferralStep.GiveReferrerFeedback, AfterTriage,
            "FeedbackNeedsDecision", "The referrer can be given feedback only once a decision has been made."),
        new(ReferralStep.TellAgency, AfterTriage,
            "AgencyNoticeNeedsDecision", "Another agency can be told of a referral only once a decision has been made on it."),
    ];

    private Referral(ReferralReceived received)
    {
        Received = received;
        Procedures = Safeguarding.Procedures.For(received.Nation);
    }

    public ReferralReceived Received { get; }

    public Procedures Procedures { get; }

    public ReferralStatus Status { get; private set; } = ReferralStatus.Received;

    public ReferralTriaged? Triage { get; private set; }

    public StrategyDiscussionHeld? StrategyDiscussion { get; private set; }

    public DateTimeOffset? StrategyDiscussionRecordedAt { get; private set; }

    public Section47OutcomeRecorded? Section47Outcome { get; private set; }

    public AllegationFindingRecorded? Finding { get; private set; }

    public MaliciousFindingConfirmed? MaliciousConfirmation { get; private set; }

    public IReadOnlyList<ReferralAnnotated> Annotations => _annotations;

    public ReferralRestricted? Restriction { get; private set; }

    public string Concern { get; private set; } = "";

    public IReadOnlyList<FamilyInformed> FamilyLetters => _letters;

    public IReadOnlyList<ReferrerFeedbackGiven> Feedback => _feedback;

    /// <summary>What other agencies were told, by whom and when.</summary>
    public IReadOnlyList<AgencyTold> AgenciesTold => _told;

    public bool Acknowledged { get; private set; }

    public bool IsRestricted => Restriction is not null;

    /// <summary>The finding as it stands: a malicious finding counts only once a manager confirmed it.</summary>
    public string? EffectiveFinding => Finding is null ? null
        : Finding.AwaitingManagerConfirmation && MaliciousConfirmation is null ? null
        : Finding.Finding;

    public bool AwaitingManagerConfirmation => Finding is { AwaitingManagerConfirmation: true } && MaliciousConfirmation is null;

    private readonly List<ReferralAnnotated> _annotations = [];
    private readonly List<FamilyInformed> _letters = [];
    private readonly List<ReferrerFeedbackGiven> _feedback = [];
    private readonly List<AgencyTold> _told = [];

    public static Referral From(IEnumerable<IEvent> events, Func<IEvent, DateTimeOffset>? recordedAt = null)
    {
        Referral? referral = null;
        foreach (var e in events)
        {
            if (e is ReferralReceived r)
            {
                referral = new Referral(r) { Concern = r.Concern };
                continue;
            }
            if (referral is null)
            {
                throw new InvalidOperationException("A referral stream must start with ReferralReceived.");
            }
            referral.Apply(e, recordedAt?.Invoke(e));
        }
        return referral ?? throw new InvalidOperationException("The stream holds no referral.");
    }

    private void Apply(IEvent e, DateTimeOffset? at)
    {
        switch (e)
        {
            case ReferralTriaged t:
                Triage = t;
                Status = StatusFor(Procedures.TriageDecision(t.Decision).Route);
                break;
            case StrategyDiscussionHeld s:
                StrategyDiscussion = s;
                StrategyDiscussionRecordedAt = at;
                Status = StatusFor(Procedures.StrategyDecision(s.Decision).Route);
                break;
            case Section47OutcomeRecorded o:
                Section47Outcome = o;
                Status = StatusFor(Procedures.Section47Outcome(o.Outcome).Route);
                break;
            case AllegationFindingRecorded f:
                Finding = f;
                MaliciousConfirmation = null;
                break;
            case MaliciousFindingConfirmed c:
                MaliciousConfirmation = c;
                break;
            case ReferralAnnotated a:
                _annotations.Add(a);
                break;
            case ReferralRestricted r:
                Restriction = r;
                break;
            case ReferralConcernCorrected c:
                Concern = c.Concern;
                break;
            case FamilyInformed f:
                _letters.Add(f);
                break;
            case ReferrerFeedbackGiven g:
                _feedback.Add(g);
                break;
            case AgencyTold t:
                _told.Add(t);
                break;
            case ReferrerAcknowledged:
                Acknowledged = true;
                break;
            default:
                break;
        }
    }

    private static ReferralStatus StatusFor(Route route) => route switch
    {
        Route.Closed => ReferralStatus.Closed,
        Route.EarlyHelp => ReferralStatus.EarlyHelp,
        Route.Assessment => ReferralStatus.Assessment,
        Route.StrategyDiscussion => ReferralStatus.AwaitingStrategyDiscussion,
        Route.Section47 => ReferralStatus.Section47Enquiry,
        Route.Conference => ReferralStatus.ConferenceDue,
        _ => throw new ArgumentOutOfRangeException(nameof(route)),
    };

    /// <summary>Refuses a step the table does not allow from the current state.</summary>
    public void Check(ReferralStep step)
    {
        var row = Table.Single(t => t.Step == step);
        if (row.From.Contains(Status))
        {
            return;
        }
        // Before triage, every later step fails with one recognisable rule.
        if (Status == ReferralStatus.Received && step == ReferralStep.RecordSection47Outcome)
        {
            throw new DomainRuleException("OutcomeNeedsTriageFirst", "An outcome cannot be recorded before the referral has been triaged.");
        }
        throw new DomainRuleException(row.Rule, row.Message);
    }

    public bool Allows(ReferralStep step) => Table.Single(t => t.Step == step).From.Contains(Status);

    public ReferralTriaged DecideTriage(string decision, string reasons, string decidedBy, DateTimeOffset at, WorkingDayCalendar calendar)
    {
        Check(ReferralStep.Triage);
        var code = Procedures.TriageDecision(decision);
        RequireText(reasons, "TriageNeedsReasons", "Give the reasons for the triage decision.");
        DateTimeOffset? assessmentDue = code.Route == Route.Assessment
            ? Procedures.DueAfter(Procedures.AssessmentClock, Received.ReceivedAt, calendar)
            : null;
        return new ReferralTriaged(code.Code, reasons.Trim(), decidedBy, at, at <= Received.TriageDueBy, assessmentDue);
    }

    public StrategyDiscussionHeld RecordStrategyDiscussion(DateOnly heldOn, string chair, IReadOnlyList<MeetingAttendee> attendees,
        string informationConsidered, string decision, string rationale, string recordedBy, DateTimeOffset now)
    {
        Check(ReferralStep.HoldStrategyDiscussion);
        var code = Procedures.StrategyDecision(decision);
        RequireText(chair, "StrategyDiscussionNeedsChair", "Name who chaired the strategy discussion.");
        RequireText(rationale, "StrategyDiscussionNeedsRationale", "Record the rationale for the decision.");
        if (attendees.Count == 0 || attendees.Any(a => string.IsNullOrWhiteSpace(a.Name) || string.IsNullOrWhiteSpace(a.Agency)))
        {
            throw new DomainRuleException("StrategyDiscussionNeedsAttendees", "List who attended the strategy discussion, each with their agency.");
        }
        if (heldOn < LondonTime.DateOf(Received.ReceivedAt) || heldOn > LondonTime.DateOf(now))
        {
            throw new DomainRuleException("StrategyDiscussionDateMustBePlausible", "The strategy discussion must be dated between the referral and today.");
        }
        return new StrategyDiscussionHeld(heldOn, chair.Trim(), attendees, informationConsidered?.Trim() ?? "", code.Code, rationale.Trim(), recordedBy);
    }

    public Section47OutcomeRecorded RecordSection47(string outcome, string reasons, string recordedBy, DateTimeOffset at, WorkingDayCalendar calendar)
    {
        Check(ReferralStep.RecordSection47Outcome);
        var code = Procedures.Section47Outcome(outcome);
        RequireText(reasons, "OutcomeNeedsReasons", "Give the reasons for the section 47 outcome.");
        // Working Together 2023: the initial child protection conference within 15 working days of the strategy discussion.
        DateTimeOffset? conference = code.Route == Route.Conference
            ? LondonTime.At(calendar.AddWorkingDays(StrategyDiscussion!.HeldOn, Procedures.ConferenceClock.WorkingDays), Procedures.CloseOfBusiness)
            : null;
        return new Section47OutcomeRecorded(code.Code, reasons.Trim(), recordedBy, at, conference);
    }

    public AllegationFindingRecorded RecordFinding(string finding, string reasons, string recordedBy)
    {
        Check(ReferralStep.RecordFinding);
        NotRestricted();
        var code = Procedures.Finding(finding);
        RequireText(reasons, "FindingNeedsReasons", "Give the reasons for the finding on the allegation.");
        return new AllegationFindingRecorded(code.Code, reasons.Trim(), recordedBy, code.NeedsManagerConfirmation);
    }

    public MaliciousFindingConfirmed ConfirmMaliciousFinding(string confirmedBy, bool isManager, string note)
    {
        Check(ReferralStep.ConfirmMaliciousFinding);
        if (!AwaitingManagerConfirmation)
        {
            throw new DomainRuleException("NoFindingAwaitsConfirmation", "There is no malicious finding awaiting a manager's confirmation on this referral.");
        }
        if (!isManager)
        {
            throw new DomainRuleException("MaliciousFindingNeedsManagerConfirmation", "Only a team manager can confirm that an allegation was malicious.");
        }
        return new MaliciousFindingConfirmed(confirmedBy, note?.Trim() ?? "");
    }

    public ReferralAnnotated Annotate(string text, string by, bool isManager, DateTimeOffset at)
    {
        Check(ReferralStep.Annotate);
        if (!isManager)
        {
            throw new DomainRuleException("AnnotationNeedsManager", "Only a team manager can annotate a referral.");
        }
        RequireText(text, "AnnotationNeedsText", "Write the annotation.");
        return new ReferralAnnotated(text.Trim(), by, at);
    }

    public ReferralRestricted Restrict(string reason, string by, bool isManager, DateTimeOffset at)
    {
        Check(ReferralStep.Restrict);
        if (!isManager)
        {
            throw new DomainRuleException("RestrictionNeedsManager", "Only a team manager can restrict a referral.");
        }
        if (IsRestricted)
        {
            throw new DomainRuleException("ReferralAlreadyRestricted", "This referral is already restricted.");
        }
        RequireText(reason, "RestrictionNeedsReason", "Give the reason for restricting the referral.");
        return new ReferralRestricted(reason.Trim(), by, at);
    }

    public ReferralConcernCorrected CorrectConcern(string concern, string reason, string by)
    {
        Check(ReferralStep.CorrectConcern);
        NotRestricted();
        RequireText(concern, "ConcernNeedsText", "Write the corrected concern.");
        RequireText(reason, "CorrectionNeedsReason", "Say why the concern is being corrected.");
        return new ReferralConcernCorrected(ReferralIntake.CheckText(concern, "concern", ReferralIntake.MaxConcernLength), reason.Trim(), by);
    }

    public FamilyInformed InformFamily(string recipient, string summary, string letterSha256, string by, DateTimeOffset at)
    {
        Check(ReferralStep.InformFamily);
        if (Finding is { AwaitingManagerConfirmation: true } && MaliciousConfirmation is null)
        {
            throw new DomainRuleException("MaliciousFindingNeedsManagerConfirmation", "The family cannot be told the finding until a manager has confirmed it.");
        }
        return new FamilyInformed(recipient, summary, letterSha256, by, at);
    }

    public ReferrerFeedbackGiven GiveFeedback(string feedback, string by, DateTimeOffset at)
    {
        Check(ReferralStep.GiveReferrerFeedback);
        RequireText(feedback, "FeedbackNeedsText", "Write the feedback for the referrer.");
        return new ReferrerFeedbackGiven(feedback.Trim(), by, at);
    }

    /// <summary>A manager tells another agency what the council decided it may know (never while a malicious finding awaits confirmation).</summary>
    public AgencyTold TellAgency(string agencyId, string agencyName, string text, string by, bool isManager, DateTimeOffset at, string agreementId)
    {
        Check(ReferralStep.TellAgency);
        if (!isManager)
        {
            throw new DomainRuleException("AgencyNoticeNeedsManager", "Only a team manager can decide what another agency is told about a referral.");
        }
        if (AwaitingManagerConfirmation)
        {
            throw new DomainRuleException("MaliciousFindingNeedsManagerConfirmation", "Confirm or revise the malicious finding before telling another agency anything.");
        }
        RequireText(text, "AgencyNoticeNeedsText", "Write what the other agency may be told.");
        return new AgencyTold(agencyId, agencyName, ReferralIntake.CheckText(text, "notice", 2000), by, at, agreementId);
    }

    /// <summary>The text a family may be told; a malicious finding is told as "unfounded" (DESIGN.md).</summary>
    public string OutcomeForFamily()
    {
        var decision = Section47Outcome is { } o ? Procedures.Title(o.Outcome)
            : StrategyDiscussion is { } s ? Procedures.Title(s.Decision)
            : Triage is { } t ? Procedures.Title(t.Decision) : "No decision yet";
        var finding = EffectiveFinding switch
        {
            "malicious" or "false" or "unfounded" => " The concern raised about your family was found to be unfounded.",
            "unsubstantiated" => " There was not enough evidence to prove or disprove the concern.",
            "substantiated" => " The concern was found to be substantiated.",
            _ => "",
        };
        return decision + "." + finding;
    }

    private void NotRestricted()
    {
        if (IsRestricted)
        {
            throw new DomainRuleException("RestrictedAllegationCannotBeEdited",
                "This referral's content is restricted: it cannot be edited. A manager may add an annotation.");
        }
    }

    private static void RequireText(string? text, string rule, string message)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new DomainRuleException(rule, message);
        }
    }
}
