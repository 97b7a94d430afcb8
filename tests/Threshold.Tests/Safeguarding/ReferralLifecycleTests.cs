using Threshold.Domain;
using Threshold.Domain.Calendar;
using Threshold.Domain.Safeguarding;
using static Threshold.Safeguarding.ReferralBuilder;

namespace Threshold.Safeguarding;

/// <summary>The referral's transition table: each legal step moves it on, each illegal one fails with its rule.</summary>
public sealed class ReferralLifecycleTests
{
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.EnglandAndWales;

    private static DomainRuleException Refused(Action action) => Assert.Throws<DomainRuleException>(action);

    [Fact]
    public void New_referral_is_received_and_due_within_one_working_day()
    {
        var r = Referral();
        Assert.Equal(ReferralStatus.Received, r.Status);
        Assert.Equal(DateTimeOffset.Parse("2026-02-10T17:00:00+00:00"), r.Received.TriageDueBy);
        Assert.StartsWith("REF-", r.Received.Reference, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-further-action", ReferralStatus.Closed)]
    [InlineData("early-help", ReferralStatus.EarlyHelp)]
    [InlineData("assessment", ReferralStatus.Assessment)]
    [InlineData("strategy-discussion", ReferralStatus.AwaitingStrategyDiscussion)]
    public void Triage_decision_moves_the_referral_to_its_route(string decision, ReferralStatus expected) =>
        Assert.Equal(expected, Referral(Triaged(decision)).Status);

    [Fact]
    public void Assessment_decision_sets_the_45_working_day_clock_from_the_referral()
    {
        var t = Triaged("assessment");
        Assert.Equal(new DateOnly(2026, 4, 15), LondonTime.DateOf(t.AssessmentDueBy!.Value));
        Assert.True(t.WithinTime);
    }

    [Fact]
    public void Late_triage_is_recorded_as_outside_the_working_day()
    {
        var late = Referral().DecideTriage("early-help", "Family support", "user:t", Monday.AddDays(2), Calendar);
        Assert.False(late.WithinTime);
    }

    [Fact]
    public void Outcome_before_triage_is_refused_with_its_rule() =>
        Assert.Equal("OutcomeNeedsTriageFirst", Refused(() => Referral().RecordSection47("not-substantiated", "x", "u", Monday, Calendar)).Rule);

    [Fact]
    public void Outcome_without_a_section_47_enquiry_is_refused() =>
        Assert.Equal("OutcomeNeedsSection47Enquiry", Refused(() => Referral(Triaged("early-help")).RecordSection47("not-substantiated", "x", "u", Monday, Calendar)).Rule);

    [Fact]
    public void Triage_twice_is_refused() =>
        Assert.Equal("ReferralAlreadyTriaged", Refused(() => Referral(Triaged()).DecideTriage("early-help", "x", "u", Monday, Calendar)).Rule);

    [Fact]
    public void Strategy_discussion_needs_a_triage_decision_for_one() =>
        Assert.Equal("StrategyDiscussionNeedsTriageDecision", Refused(() => Referral(Triaged("assessment")).RecordStrategyDiscussion(
            new DateOnly(2026, 2, 10), "Chair", [new("A", "B", "C")], "", "section-47", "why", "u", Monday.AddDays(2))).Rule);

    [Fact]
    public void Strategy_discussion_needs_attendees_with_agencies() =>
        Assert.Equal("StrategyDiscussionNeedsAttendees", Refused(() => Referral(Triaged()).RecordStrategyDiscussion(
            new DateOnly(2026, 2, 10), "Chair", [new("Someone", "", "")], "", "section-47", "why", "u", Monday.AddDays(2))).Rule);

    [Fact]
    public void Unknown_decision_code_names_the_choices()
    {
        var e = Refused(() => Referral().DecideTriage("lock-them-up", "x", "u", Monday, Calendar));
        Assert.Equal("TriageDecisionMustBeKnown", e.Rule);
        Assert.Contains("early-help", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Triage_needs_reasons() =>
        Assert.Equal("TriageNeedsReasons", Refused(() => Referral().DecideTriage("early-help", " ", "u", Monday, Calendar)).Rule);

    [Fact]
    public void Continuing_risk_sets_the_conference_due_15_working_days_after_the_strategy_discussion()
    {
        var outcome = Referral(Triaged(), Strategy()).RecordSection47("substantiated-continuing-risk", "Risk continues.", "u", Monday.AddDays(5), Calendar);
        // Strategy discussion on Tuesday 10 February 2026; 15 working days later is Tuesday 3 March.
        Assert.Equal(new DateOnly(2026, 3, 3), LondonTime.DateOf(outcome.InitialConferenceDueBy!.Value));
        Assert.Equal(ReferralStatus.ConferenceDue, Referral(Triaged(), Strategy(), outcome).Status);
    }

    [Fact]
    public void Not_substantiated_outcome_closes_the_referral() =>
        Assert.Equal(ReferralStatus.Closed, Referral(Triaged(), Strategy(),
            Referral(Triaged(), Strategy()).RecordSection47("not-substantiated", "No evidence.", "u", Monday.AddDays(5), Calendar)).Status);

    [Fact]
    public void Finding_before_triage_is_refused() =>
        Assert.Equal("FindingNeedsTriageFirst", Refused(() => Referral().RecordFinding("unfounded", "x", "u")).Rule);

    [Theory]
    [InlineData("substantiated")]
    [InlineData("unsubstantiated")]
    [InlineData("unfounded")]
    [InlineData("false")]
    public void Findings_other_than_malicious_stand_without_confirmation(string finding)
    {
        var f = Referral(Triaged()).RecordFinding(finding, "Panel view.", "u");
        var r = Referral(Triaged(), f);
        Assert.False(r.AwaitingManagerConfirmation);
        Assert.Equal(finding, r.EffectiveFinding);
    }

    [Fact]
    public void Malicious_finding_awaits_a_manager_and_does_not_stand_until_confirmed()
    {
        var f = Referral(Triaged()).RecordFinding("malicious", "Referrer is the subject of a harassment case against the mother.", "user:sw");
        var r = Referral(Triaged(), f);
        Assert.True(r.AwaitingManagerConfirmation);
        Assert.Null(r.EffectiveFinding);
        Assert.Equal("MaliciousFindingNeedsManagerConfirmation", Refused(() => r.ConfirmMaliciousFinding("user:sw", isManager: false, "")).Rule);
        Assert.Equal("MaliciousFindingNeedsManagerConfirmation", Refused(() => r.InformFamily("Alex Morgan", "x", "00", "u", Monday)).Rule);

        var confirmed = Referral(Triaged(), f, r.ConfirmMaliciousFinding("user:manager", isManager: true, "Agreed at panel."));
        Assert.Equal("malicious", confirmed.EffectiveFinding);
        Assert.Contains("unfounded", confirmed.OutcomeForFamily(), StringComparison.Ordinal);
        Assert.DoesNotContain("malicious", confirmed.OutcomeForFamily(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Confirming_when_nothing_awaits_is_refused() =>
        Assert.Equal("NoFindingAwaitsConfirmation", Refused(() => Referral(Triaged()).ConfirmMaliciousFinding("m", true, "")).Rule);

    [Fact]
    public void Only_a_manager_annotates_and_restricts()
    {
        Assert.Equal("AnnotationNeedsManager", Refused(() => Referral().Annotate("note", "u", isManager: false, Monday)).Rule);
        Assert.Equal("RestrictionNeedsManager", Refused(() => Referral().Restrict("why", "u", isManager: false, Monday)).Rule);
    }

    [Fact]
    public void Restricted_allegation_cannot_be_edited_but_can_be_annotated()
    {
        var restricted = Referral(Triaged(), Referral().Restrict("Malicious allegation", "m", true, Monday));
        Assert.True(restricted.IsRestricted);
        Assert.Equal("RestrictedAllegationCannotBeEdited", Refused(() => restricted.CorrectConcern("new text", "typo", "u")).Rule);
        Assert.Equal("RestrictedAllegationCannotBeEdited", Refused(() => restricted.RecordFinding("unfounded", "x", "u")).Rule);
        Assert.Equal("ReferralAlreadyRestricted", Refused(() => restricted.Restrict("again", "m", true, Monday)).Rule);
        Assert.NotNull(restricted.Annotate("Allegation found malicious by panel on 10 February 2026.", "m", true, Monday));
    }

    [Fact]
    public void Every_step_has_exactly_one_row_in_the_table() =>
        Assert.Equal(Enum.GetValues<ReferralStep>().Order(), Domain.Safeguarding.Referral.Table.Select(t => t.Step).Order());

    [Fact]
    public void Wales_uses_its_own_codes()
    {
        var r = Domain.Safeguarding.Referral.From([Received(Submission(nation: "wales"))]);
        Assert.Equal("wales", r.Received.Nation);
        Assert.Equal(ReferralStatus.EarlyHelp, Domain.Safeguarding.Referral.From([r.Received, r.DecideTriage("information-advice-assistance", "IAA", "u", Monday, Calendar)]).Status);
        Assert.Equal("TriageDecisionMustBeKnown", Refused(() => r.DecideTriage("early-help", "x", "u", Monday, Calendar)).Rule);
    }
}
