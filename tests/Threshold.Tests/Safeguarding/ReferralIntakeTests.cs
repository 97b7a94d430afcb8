using Threshold.Domain;
using Threshold.Domain.Safeguarding;
using static Threshold.Safeguarding.ReferralBuilder;

namespace Threshold.Safeguarding;

/// <summary>Bad input at the door fails with a named rule and a plain message.</summary>
public sealed class ReferralIntakeTests
{
    private static string RuleFor(ReferralSubmission s) => Assert.Throws<DomainRuleException>(() => Received(s)).Rule;

    [Fact]
    public void Referral_needs_a_child() => Assert.Equal("ReferralNeedsChild", RuleFor(Submission(children: [])));

    [Fact]
    public void Child_needs_a_name() => Assert.Equal("ChildNeedsName", RuleFor(Submission(children: [new PersonDetails(null, null, "2018-01-01", null, null, null)])));

    [Fact]
    public void Referral_needs_a_concern() => Assert.Equal("ReferralNeedsConcern", RuleFor(Submission(concern: "  ")));

    [Theory]
    [InlineData("2099-01-01", "DateOfBirthInFuture")]
    [InlineData("1850-01-01", "ChildMustBeUnder18")]
    [InlineData("14/05/2016", "DateOfBirthMustBeADate")]
    [InlineData("2016-02-30", "DateOfBirthMustBeADate")]
    public void Absurd_dates_of_birth_are_refused(string dob, string rule) =>
        Assert.Equal(rule, RuleFor(Submission(children: [Child(dob: dob)])));

    [Fact]
    public void Hundred_kilobytes_of_text_is_refused_with_the_limit()
    {
        var e = Assert.Throws<DomainRuleException>(() => Received(Submission(concern: new string('a', 100 * 1024))));
        Assert.Equal("TextTooLong", e.Rule);
        Assert.Contains("20,000", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("Look at <img src=x onerror=alert(1)>")]
    [InlineData("javascript:alert(1)")]
    public void Script_and_markup_are_refused(string concern) => Assert.Equal("TextMustNotContainMarkup", RuleFor(Submission(concern: concern)));

    [Fact]
    public void Script_in_a_name_is_refused() =>
        Assert.Equal("TextMustNotContainMarkup", RuleFor(Submission(children: [Child(given: "<script>x</script>")])));

    [Fact]
    public void Plain_less_than_signs_are_fine() => Assert.Contains("< 5", Received(Submission(concern: "The youngest is aged < 5.")).Concern, StringComparison.Ordinal);

    [Fact]
    public void Unknown_source_of_knowledge_is_refused() => Assert.Equal("SourceOfKnowledgeMustBeKnown", RuleFor(Submission(source: "gossip")));

    [Fact]
    public void Anonymous_referrer_needs_no_name()
    {
        var r = Received(Submission(anonymous: true, door: ReferralDoors.Public));
        Assert.True(r.Referrer.Anonymous);
        Assert.Null(r.Referrer.Person);
    }

    [Fact]
    public void Named_referrer_without_a_name_is_refused() =>
        Assert.Equal("ReferrerNeedsNameOrAnonymous", RuleFor(Submission() with { Referrer = new ReferrerDetails(false, null, "neighbour", "first-hand", null, null) }));

    [Fact]
    public void Unknown_nation_is_refused() => Assert.Equal("NationMustBeKnown", RuleFor(Submission(nation: "atlantis")));
}
