using Threshold.Domain;
using Threshold.Domain.Policing;
using static Threshold.Policing.PoliceCaseBuilder;

namespace Threshold.Policing;

/// <summary>The police case's transition table and the rules of each step (pure domain: no store, no HTTP).</summary>
public sealed class PoliceCaseLifecycleTests
{
    private static DomainRuleException Refused(Action action) => Assert.Throws<DomainRuleException>(action);

    private static DisposalProposed Propose(PoliceCase c, string disposal, bool evidential = true, string? outcomeReason = null, string by = Investigator) =>
        c.ProposeDisposal(Disposals, "current", "prop-2", 0, disposal, outcomeReason, disposal == "community-resolution" ? ["Do not contact the victim"] : [], evidential, "Reasons.", by, Now);

    [Fact]
    public void A_new_case_is_reported_with_its_reference_and_first_victim_update_due()
    {
        var c = Case();
        Assert.Equal(PoliceCaseStatus.Reported, c.Status);
        Assert.Equal("PC-CASE0001", c.Opened.Reference);
        Assert.Equal("pha-1997-s2", c.Opened.OffenceCode);
        Assert.Equal(Today.AddDays(-10).AddDays(Disposals.UpdateIntervalDays), c.VictimUpdateDue);
    }

    [Theory]
    [InlineData("harassment", "pha-1997-s2")]
    [InlineData("stalking", "pha-1997-s2a")]
    [InlineData("malicious-communications", "mca-1988-s1")]
    [InlineData("threatening-communications", "osa-2023-s181")]
    [InlineData("false-communications", "osa-2023-s179")]
    [InlineData("PHA-1997-S4A", "pha-1997-s4a")]
    [InlineData("cla-1967-s5-2", "cla-1967-s5-2")]
    public void Aliases_and_codes_resolve_to_catalogue_offences(string given, string code) =>
        Assert.Equal(code, Offences.Resolve(given).Code);

    [Fact]
    public void Unknown_offence_is_refused_by_name() =>
        Assert.Equal("OffenceMustBeKnown", Refused(() => Offences.Resolve("being-rude")).Rule);

    [Fact]
    public void Opening_needs_a_victim_a_suspect_and_a_summary()
    {
        Assert.Equal("CaseNeedsVictim", Refused(() => PoliceCaseRules.Open(new CrimeReportSubmission(null, [Suspect], [], null, "x", false), "c", "p", "e", "n", Now, Offences, Disposals)).Rule);
        Assert.Equal("CaseNeedsSuspect", Refused(() => PoliceCaseRules.Open(new CrimeReportSubmission(Victim, [], [], null, "x", false), "c", "p", "e", "n", Now, Offences, Disposals)).Rule);
        Assert.Equal("CaseNeedsSummary", Refused(() => PoliceCaseRules.Open(new CrimeReportSubmission(Victim, [Suspect], [], null, " ", false), "c", "p", "e", "n", Now, Offences, Disposals)).Rule);
    }

    [Fact]
    public void Investigation_starts_once()
    {
        var c = Case(Opened(), Started);
        Assert.Equal(PoliceCaseStatus.UnderInvestigation, c.Status);
        Assert.Equal("InvestigationAlreadyStarted", Refused(() => c.StartInvestigation("x", "y", Now)).Rule);
    }

    [Fact]
    public void Three_emails_over_nine_days_are_a_possible_course_of_conduct()
    {
        var c = Case(Opened(), Started, Incident(1), Incident(5), Incident(9));
        var harassment = c.Assess(Offences).Single(a => a.Code == "pha-1997-s2");
        Assert.True(harassment.Possible);
        Assert.Contains("3 occasions over 9 days against one person — course of conduct possible", harassment.Supported[0], StringComparison.Ordinal);
        Assert.Contains(harassment.Missing, m => m.Contains("knows or ought to know", StringComparison.Ordinal));
    }

    [Fact]
    public void One_occasion_is_not_a_course_of_conduct_and_says_what_is_missing()
    {
        var a = Offences.Assess(Offences.Resolve("harassment"), Case(Opened(), Started, Incident(1)).Facts());
        Assert.False(a.Possible);
        Assert.Contains(a.Missing, m => m.StartsWith("only 1 occasion", StringComparison.Ordinal) && m.Contains("at least 2", StringComparison.Ordinal));
    }

    [Fact]
    public void Conduct_towards_someone_else_does_not_count_toward_the_victims_course_of_conduct()
    {
        var a = Offences.Assess(Offences.Resolve("harassment"), Case(Opened(), Started, Incident(1), Incident(2, againstVictim: false)).Facts());
        Assert.False(a.Possible);
    }

    [Fact]
    public void Law_in_force_on_the_incidents_date_the_online_safety_offences_start_on_31_january_2024()
    {
        var before = new IncidentFacts(new DateTimeOffset(2024, 1, 30, 12, 0, 0, TimeSpan.Zero), "email", true);
        var after = new IncidentFacts(new DateTimeOffset(2024, 1, 31, 12, 0, 0, TimeSpan.Zero), "email", true);
        var threatening = Offences.Resolve("threatening-communications");
        Assert.Empty(threatening.LimbsInForceOn(new DateOnly(2024, 1, 30)));
        Assert.Single(threatening.LimbsInForceOn(new DateOnly(2024, 1, 31)));
        Assert.False(Offences.Assess(threatening, [before]).Possible);
        Assert.True(Offences.Assess(threatening, [after]).Possible);

        var mca = Offences.Resolve("malicious-communications");
        Assert.Contains(mca.LimbsInForceOn(new DateOnly(2024, 1, 30)), l => l.Code == "mca-1988-s1-1-a-ii");
        Assert.DoesNotContain(mca.LimbsInForceOn(new DateOnly(2024, 1, 31)), l => l.Code == "mca-1988-s1-1-a-ii");
        Assert.DoesNotContain(mca.LimbsInForceOn(new DateOnly(2024, 1, 31)), l => l.Code == "mca-1988-s1-1-a-iii");
        Assert.Contains(Offences.Assess(mca, [after]).Missing, m => m.Contains("repealed from 31 January 2024", StringComparison.Ordinal));

        var s127 = Offences.Resolve("ca-2003-s127");
        Assert.DoesNotContain(s127.LimbsInForceOn(new DateOnly(2024, 2, 1)), l => l.Code is "ca-2003-s127-2-a" or "ca-2003-s127-2-b");
        Assert.Contains(s127.LimbsInForceOn(new DateOnly(2024, 2, 1)), l => l.Code == "ca-2003-s127-2-c");
    }

    [Fact]
    public void Stalking_offences_exist_only_from_25_november_2012()
    {
        var stalking = Offences.Resolve("stalking");
        Assert.Empty(stalking.LimbsInForceOn(new DateOnly(2012, 11, 24)));
        Assert.NotEmpty(stalking.LimbsInForceOn(new DateOnly(2012, 11, 25)));
        Assert.NotEmpty(Offences.Resolve("pha-1997-s4a").LimbsInForceOn(new DateOnly(2012, 11, 25)));
        Assert.Empty(Offences.Resolve("pha-1997-s4a").LimbsInForceOn(new DateOnly(2012, 11, 24)));
    }

    [Fact]
    public void A_letter_is_a_communication_but_not_over_a_public_electronic_network()
    {
        var letter = new IncidentFacts(Now, "letter", true);
        Assert.True(Offences.Assess(Offences.Resolve("malicious-communications"), [letter]).Possible);
        Assert.False(Offences.Assess(Offences.Resolve("ca-2003-s127"), [letter]).Possible);
    }

    [Fact]
    public void Offence_decision_needs_reasons_and_keeps_the_advice_it_was_made_against()
    {
        var c = Case(Opened(), Started, Incident(1), Incident(5), Incident(9));
        Assert.Equal("OffenceDecisionNeedsReasons", Refused(() => c.RecordOffenceDecision(Offences, "harassment", null, " ", Investigator, Now)).Rule);
        var d = c.RecordOffenceDecision(Offences, "harassment", null, "Three e-mails; he knew.", Investigator, Now);
        Assert.Equal("crime-recorded", d.Decision);
        Assert.Contains(d.Supported, s => s.Contains("course of conduct possible", StringComparison.Ordinal));
    }

    [Fact]
    public void Offence_decision_before_the_investigation_is_refused() =>
        Assert.Equal("OffenceDecisionNeedsInvestigation", Refused(() => Case().RecordOffenceDecision(Offences, "harassment", null, "r", Investigator, Now)).Rule);

    [Theory]
    [InlineData("admitted")]
    [InlineData("denied")]
    [InlineData("no-comment")]
    public void Suspect_account_is_admitted_denied_or_no_comment(string account) =>
        Assert.Equal(account, Case(Opened(), Started).RecordSuspectAccount(0, Today, "interview", account, "notes", Investigator, Today).Account);

    [Fact]
    public void Suspect_account_refuses_an_unknown_account_setting_or_suspect()
    {
        var c = Case(Opened(), Started);
        Assert.Equal("AccountMustBeKnown", Refused(() => c.RecordSuspectAccount(0, Today, "interview", "maybe", null, Investigator, Today)).Rule);
        Assert.Equal("AccountSettingMustBeKnown", Refused(() => c.RecordSuspectAccount(0, Today, "pub", "admitted", null, Investigator, Today)).Rule);
        Assert.Equal("SuspectMustBeOnCase", Refused(() => c.RecordSuspectAccount(3, Today, "interview", "admitted", null, Investigator, Today)).Rule);
    }

    [Fact]
    public void Victims_views_need_how_they_were_obtained()
    {
        var c = Case(Opened(), Started);
        Assert.Equal("VictimViewsNeedHowObtained", Refused(() => c.RecordVictimViews(Today, "", "Wants it to stop.", Investigator, Today)).Rule);
        Assert.Equal("DateCannotBeInFuture", Refused(() => c.RecordVictimViews(Today.AddDays(1), "phone", "x", Investigator, Today)).Rule);
    }

    [Fact]
    public void Community_resolution_is_proposed_when_admitted_with_the_victims_views()
    {
        var c = Case(ReadyToPropose());
        var p = Propose(c, "community-resolution", evidential: false);
        Assert.Equal("community-resolution", p.Disposal);
        Assert.Equal(PoliceCaseStatus.DisposalProposed, Case(ReadyToPropose(), p).Status);
    }

    [Fact]
    public void Community_resolution_without_the_victims_views_is_refused()
    {
        var c = Case(Opened(), Started, Incident(1), Incident(5), Account(), Decided);
        Assert.Equal("OutOfCourtDisposalNeedsVictimViews", Refused(() => Propose(c, "community-resolution")).Rule);
    }

    [Theory]
    [InlineData("denied")]
    [InlineData("no-comment")]
    public void Community_resolution_without_an_admission_is_refused(string account)
    {
        var c = Case(Opened(), Started, Incident(1), Incident(5), Account(account), Views, Decided);
        Assert.Equal("DisposalNeedsAdmission", Refused(() => Propose(c, "community-resolution")).Rule);
    }

    [Fact]
    public void Community_resolution_with_no_account_at_all_is_refused() =>
        Assert.Equal("DisposalNeedsAdmission", Refused(() => Propose(Case(Opened(), Started, Incident(1), Views, Decided), "community-resolution")).Rule);

    [Fact]
    public void Community_resolution_is_not_used_for_domestic_abuse()
    {
        var c = Case(Opened(domesticAbuse: true), Started, Incident(1), Incident(5), Account(), Views, Decided);
        Assert.Equal("CommunityResolutionNotForDomesticAbuse", Refused(() => Propose(c, "community-resolution")).Rule);
        Assert.Equal("simple-caution", Propose(c, "simple-caution").Disposal);
    }

    [Theory]
    [InlineData("simple-caution")]
    [InlineData("conditional-caution")]
    public void Cautions_need_the_evidential_standard_and_an_admission(string caution)
    {
        Assert.Equal("DisposalNeedsEvidentialStandard", Refused(() => Propose(Case(ReadyToPropose()), caution, evidential: false)).Rule);
        var denied = Case(Opened(), Started, Incident(1), Incident(5), Account("denied"), Views, Decided);
        Assert.Equal("DisposalNeedsAdmission", Refused(() => Propose(denied, caution)).Rule);
    }

    [Fact]
    public void Charge_needs_the_evidential_standard_but_not_an_admission_or_the_victims_views()
    {
        var c = Case(Opened(), Started, Incident(1), Incident(5), Account("denied"), Decided);
        Assert.Equal("DisposalNeedsEvidentialStandard", Refused(() => Propose(c, "charge", evidential: false)).Rule);
        Assert.Equal("charge", Propose(c, "charge").Disposal);
    }

    [Fact]
    public void No_further_action_needs_a_known_outcome_reason_but_no_offence_decision()
    {
        var c = Case(Opened(), Started, Incident(1));
        Assert.Equal("NoFurtherActionNeedsOutcomeReason", Refused(() => Propose(c, "no-further-action")).Rule);
        Assert.Equal("OutcomeReasonMustBeKnown", Refused(() => Propose(c, "no-further-action", outcomeReason: "99")).Rule);
        Assert.Equal("16", Propose(c, "no-further-action", outcomeReason: "16").OutcomeReason);
    }

    [Fact]
    public void Disposals_other_than_no_further_action_need_the_offence_decision() =>
        Assert.Equal("DisposalNeedsOffenceDecision", Refused(() => Propose(Case(Opened(), Started, Incident(1), Account(), Views), "charge")).Rule);

    [Fact]
    public void Two_tier_framework_is_switched_by_configuration()
    {
        var c = Case(ReadyToPropose());
        Assert.Equal("DisposalNotInFramework", Refused(() => c.ProposeDisposal(Disposals, "current", "p", 0, "diversionary-caution", null, [], true, "r", Investigator, Now)).Rule);
        Assert.Equal("DisposalNotInFramework", Refused(() => c.ProposeDisposal(Disposals, "two-tier", "p", 0, "simple-caution", null, [], true, "r", Investigator, Now)).Rule);
        Assert.Equal("diversionary-caution", c.ProposeDisposal(Disposals, "two-tier", "p", 0, "diversionary-caution", null, ["Attend a course"], true, "r", Investigator, Now).Disposal);
        Assert.Equal("community-resolution", c.ProposeDisposal(Disposals, "two-tier", "p", 0, "community-resolution", null, [], false, "r", Investigator, Now).Disposal);
        Assert.Equal("FrameworkMustBeKnown", Refused(() => DisposalCatalogue.CheckFramework("three-tier")).Rule);
    }

    [Fact]
    public void A_second_proposal_while_one_awaits_authorisation_is_refused() =>
        Assert.Equal("DisposalNeedsInvestigation", Refused(() => Propose(Case(ReadyToPropose(), Proposed()), "charge")).Rule);

    [Fact]
    public void Authorising_your_own_proposal_is_refused_even_as_a_supervisor()
    {
        var c = Case(ReadyToPropose(), Proposed(by: Supervisor));
        Assert.Equal("ProposerCannotAuthorise", Refused(() => c.AuthoriseDisposal(Disposals, "ok", Supervisor, isSupervisor: true, Now, Calendar)).Rule);
    }

    [Fact]
    public void Only_a_supervisor_authorises()
    {
        var c = Case(ReadyToPropose(), Proposed());
        Assert.Equal("AuthorisationNeedsSupervisor", Refused(() => c.AuthoriseDisposal(Disposals, "ok", "user:other@harbourside-police.example", isSupervisor: false, Now, Calendar)).Rule);
    }

    [Fact]
    public void Authorisation_by_another_supervisor_sets_the_victims_five_working_day_clock()
    {
        var c = Case(ReadyToPropose(), Proposed());
        var a = c.AuthoriseDisposal(Disposals, "Proportionate.", Supervisor, isSupervisor: true, Now, Calendar);
        // Friday 20 March 2026 + 5 working days = Friday 27 March.
        Assert.Equal(new DateOnly(2026, 3, 27), a.VictimToBeInformedBy);
        var after = Case(ReadyToPropose(), Proposed(), a);
        Assert.Equal(PoliceCaseStatus.DisposalAuthorised, after.Status);
        Assert.Equal(new DateOnly(2026, 3, 27), after.VictimUpdateDue);
    }

    [Fact]
    public void A_rejected_proposal_sends_the_case_back_to_investigation()
    {
        var c = Case(ReadyToPropose(), Proposed());
        var r = c.RejectDisposal("Consider a caution.", Supervisor, isSupervisor: true, Now);
        var after = Case(ReadyToPropose(), Proposed(), r);
        Assert.Equal(PoliceCaseStatus.UnderInvestigation, after.Status);
        Assert.Null(after.CurrentProposal);
        Assert.Equal("simple-caution", Propose(after, "simple-caution").Disposal);
    }

    [Fact]
    public void Authorising_with_nothing_proposed_is_refused() =>
        Assert.Equal("NoDisposalAwaitsAuthorisation", Refused(() => Case(ReadyToPropose()).AuthoriseDisposal(Disposals, "ok", Supervisor, true, Now, Calendar)).Rule);

    [Fact]
    public void Disposal_on_a_closed_case_is_refused()
    {
        var closed = Case(ReadyToPropose(), Proposed(), Authorised, new PoliceCaseClosed("Community resolution complete.", Investigator, Now));
        Assert.Equal(PoliceCaseStatus.Closed, closed.Status);
        Assert.Equal("CaseIsClosed", Refused(() => Propose(closed, "charge")).Rule);
        Assert.Equal("CaseIsClosed", Refused(() => closed.AuthoriseDisposal(Disposals, "ok", Supervisor, true, Now, Calendar)).Rule);
        Assert.Equal("CaseIsClosed", Refused(() => closed.IssueNoContactInstruction("n", "harbourside-police", 0, Today, Today)).Rule);
    }

    [Fact]
    public void Closing_needs_an_authorised_disposal() =>
        Assert.Equal("CloseNeedsAuthorisedDisposal", Refused(() => Case(ReadyToPropose()).Close("done", Investigator, Now)).Rule);

    [Fact]
    public void Informing_the_victim_moves_the_next_update_on_and_settles_it_after_the_decision()
    {
        var open = Case(Opened(), Started);
        var update = open.InformVictim(Disposals, Today, "phone", "Investigation under way.", null, Investigator, Today);
        Assert.Equal(Today.AddDays(28), update.NextUpdateDue);
        var decided = Case(ReadyToPropose(), Proposed(), Authorised);
        Assert.Null(decided.InformVictim(Disposals, Today, "phone", "Community resolution authorised.", null, Investigator, Today).NextUpdateDue);
    }

    [Fact]
    public void Overdue_victim_update_is_recognised()
    {
        var c = Case();
        Assert.False(c.IsOverdueForVictimUpdate(c.VictimUpdateDue!.Value));
        Assert.True(c.IsOverdueForVictimUpdate(c.VictimUpdateDue!.Value.AddDays(1)));
    }

    [Fact]
    public void No_contact_instruction_protects_the_victim_her_household_and_the_reporting_office()
    {
        var report = new CrimeReportLink("rep-1", "alex-morgan-mp", "Gary Thornbury", "a", "b", "c");
        var c = Case(Opened(report: report), Started);
        var n = c.IssueNoContactInstruction("nci-1", "harbourside-police", 0, Today, Today);
        Assert.Null(n.StatutoryOrder);
        Assert.Equal(["alex-morgan-mp"], n.ProtectedAgencyIds);
        Assert.Equal(["g.thornbury@example.net"], n.Suspect.Emails);
        Assert.Equal(["Alex", "Ellie"], n.ProtectedPersons!.Select(p => p.GivenName));
        Assert.Equal("DateCannotBeInFuture", Refused(() => c.IssueNoContactInstruction("n", "p", 0, Today.AddDays(1), Today)).Rule);
    }

    [Fact]
    public void Statutory_order_is_recorded_separately_with_terms_and_end_date_and_makes_contact_a_breach()
    {
        var c = Case(Opened(), Started);
        var (order, instruction) = c.RecordStatutoryOrder("ord-1", "harbourside-police", "restraining-order", 0, Today, Today.AddYears(2), "Harbourside Magistrates' Court",
            ["Not to contact Alex Morgan directly or indirectly"], Investigator, Today);
        Assert.Equal("restraining-order", order.Kind);
        Assert.Equal(Today.AddYears(2), order.EndsOn);
        Assert.Equal("restraining order", instruction.StatutoryOrder);
        Assert.Equal(Today.AddYears(2), instruction.EndsOn);
        Assert.Equal("OrderKindMustBeKnown", Refused(() => c.RecordStatutoryOrder("o", "p", "stern-word", 0, Today, null, "c", ["t"], Investigator, Today)).Rule);
        Assert.Equal("OrderNeedsTerms", Refused(() => c.RecordStatutoryOrder("o", "p", "stalking-protection-order", 0, Today, null, "c", [], Investigator, Today)).Rule);
        Assert.Equal("OrderMustEndAfterItIsMade", Refused(() => c.RecordStatutoryOrder("o", "p", "domestic-abuse-protection-order", 0, Today, Today, "c", ["t"], Investigator, Today)).Rule);
    }

    [Fact]
    public void Intelligence_entry_needs_3x5x2_grading_and_conditions_for_handling_code_c()
    {
        Assert.Equal("IntelligenceNeedsGrading", Refused(() => PoliceCase.RecordIntelligence("i", null, Suspect, "s", "4", "A", "P", null, Investigator, Now, "on demand", Today)).Rule);
        Assert.Equal("HandlingConditionsNeedText", Refused(() => PoliceCase.RecordIntelligence("i", null, Suspect, "s", "1", "B", "C", null, Investigator, Now, "on demand", Today)).Rule);
        Assert.Equal("IntelligenceNeedsSubject", Refused(() => PoliceCase.RecordIntelligence("i", null, new(null, null, null, null, null, null), "s", "1", "B", "P", null, Investigator, Now, "on demand", Today)).Rule);
        Assert.Equal("B", PoliceCase.RecordIntelligence("i", null, Suspect, "s", "1", "b", "p", null, Investigator, Now, "on demand", Today).IntelligenceAssessment);
    }

    [Fact]
    public void Community_resolution_intelligence_says_it_is_not_a_conviction()
    {
        var c = Case(ReadyToPropose(), Proposed(), Authorised);
        var entry = c.IntelligenceForDisposal(Disposals, "intel-1", Supervisor, Now, Today);
        Assert.Equal("Thornbury", entry.Subject.FamilyName);
        Assert.Contains("Not a conviction", entry.Summary, StringComparison.Ordinal);
        Assert.Equal("disposal:prop-1", entry.Trigger);
    }

    [Fact]
    public void Every_step_has_one_row_in_the_transition_table() =>
        Assert.Equal(Enum.GetValues<PoliceCaseStep>().Length, PoliceCase.Table.Select(t => t.Step).Distinct().Count());

    [Fact]
    public void Catalogues_name_their_sources()
    {
        Assert.All(Offences.Offences, o => Assert.StartsWith("https://www.legislation.gov.uk/", o.Source, StringComparison.Ordinal));
        Assert.All(Offences.Offences.SelectMany(o => o.Limbs), l => Assert.StartsWith("https://www.legislation.gov.uk/", l.Source, StringComparison.Ordinal));
        Assert.All(Disposals.All, d => Assert.False(string.IsNullOrWhiteSpace(d.Source)));
        Assert.Equal(["no-further-action", "community-resolution", "simple-caution", "conditional-caution", "charge"], Disposals.For("current").Select(d => d.Code));
    }
}
