using Threshold.Domain.Integrity;
using Threshold.Domain.Safeguarding;
using static Threshold.Safeguarding.ReferralBuilder;

namespace Threshold.Integrity;

/// <summary>
/// A signal never closes, delays or downgrades a referral: the referral's state machine does not read
/// them. Folded with or without the strongest signals, a referral has the same status, deadline and
/// allowed steps at every point of its life.
/// </summary>
public sealed class NeverSuppressesTests
{
    private static readonly ReferralIntegrityChecked Strong = new(
    [
        new IntegritySignal(SignalKinds.ReferrerIsSuspect, SignalStrengths.Strong, "The referrer appears to be the suspect.", "Harbourside Police hold information relevant to this referrer."),
        new IntegritySignal(SignalKinds.ReferrerHistory, SignalStrengths.Strong, "Earlier referrals were malicious.", null),
    ], "integrity-1");

    public static TheoryData<int> Stages => [0, 1, 2];

    [Theory]
    [MemberData(nameof(Stages))]
    public void Signals_change_nothing_the_referral_decides(int stage)
    {
        Domain.IEvent[] steps = stage switch
        {
            0 => [],
            1 => [Triaged()],
            _ => [Triaged(), Strategy()],
        };
        var without = Referral(steps);
        var with = Referral([Strong, .. steps, Strong with { Reason = "a police case was opened" }]);

        Assert.Equal(without.Status, with.Status);
        Assert.Equal(without.Received.TriageDueBy, with.Received.TriageDueBy);
        Assert.Equal(without.Triage?.AssessmentDueBy, with.Triage?.AssessmentDueBy);
        foreach (var step in Enum.GetValues<ReferralStep>())
        {
            Assert.Equal(without.Allows(step), with.Allows(step));
        }
    }

    [Fact]
    public void The_referrers_own_statement_raises_a_weak_signal_only_for_a_non_professional_without_first_hand_knowledge()
    {
        ReferralReceived Make(string door, string source, string? relationship, string? agency = null) =>
            Received(Submission() with { Door = door, Referrer = new ReferrerDetails(false, Child("Dana", "Whitcombe", null), relationship, source, agency, null) });

        var signal = ReferrerStatement.Check(Make(ReferralDoors.Public, "online", null));
        Assert.NotNull(signal);
        Assert.Equal(SignalStrengths.Weak, signal.Strength);
        Assert.Contains(signal.Evidence!, e => e.Contains("from something seen online", StringComparison.Ordinal));
        Assert.NotNull(ReferrerStatement.Check(Make(ReferralDoors.Public, "second-hand", "Member of the public.")));
        Assert.Null(ReferrerStatement.Check(Make(ReferralDoors.Public, "first-hand", null)));
        Assert.Null(ReferrerStatement.Check(Make(ReferralDoors.Public, "second-hand", "grandmother")));
        Assert.Null(ReferrerStatement.Check(Make(ReferralDoors.Professional, "second-hand", null)));
        Assert.Null(ReferrerStatement.Check(Make(ReferralDoors.Agency, "unknown", null, "harbourside-police")));
    }

    [Fact]
    public void Shingles_find_copied_sentences_and_ignore_common_phrases()
    {
        var email = Shingles.Of("You are a disgrace. Everyone knows your children are at direct risk while you swan about on your campaign!");
        var copied = Shingles.Of("Everyone knows her children are at direct risk while she swans about on her campaign.");
        var unrelated = Shingles.Of("I am worried about the children next door: they are often left alone and the house is cold.");
        Assert.True(Resemblance.IsClose(copied, email, out var shared));
        Assert.True(shared >= Resemblance.MinimumShared);
        Assert.Contains("at direct risk", copied.SharedPhrases(email, 10));
        Assert.False(Resemblance.IsClose(unrelated, email, out _));
        Assert.Equal(["dont", "stop", Shingles.Pronoun, "campaign"], Shingles.Words("Don\u2019t STOP her campaigns!"));
    }
}
