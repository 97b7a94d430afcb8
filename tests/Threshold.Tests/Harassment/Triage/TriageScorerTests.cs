using Threshold.Domain.Harassment;
using Threshold.Mail.Triage;

namespace Threshold.Harassment.Triage;

/// <summary>The scorer is transparent: it says which words fired, and quotation and negation do not count.</summary>
public sealed class TriageScorerTests
{
    private static LabelFinding Label(string text, string label, TriageContext? context = null) =>
        TriageScorer.Default.Score(null, text, context).Single(f => f.Label == label);

    [Fact]
    public void The_words_that_fired_are_the_reasons()
    {
        var threat = Label("I know where you live. Watch your back.", TriageLabels.Threatening);
        Assert.Equal(TriageLabels.Likely, threat.Bucket);
        Assert.Contains(threat.Reasons, r => r.Contains("know where you live", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Abuse_quoted_by_someone_reporting_it_does_not_count()
    {
        var report = Label("A man at the bus stop called me a \"stupid cow\" and I want to report it.", TriageLabels.Discriminatory);
        Assert.Equal(TriageLabels.Unlikely, report.Bucket);
        Assert.Contains(report.Reasons, r => r.Contains("reported speech", StringComparison.Ordinal));
    }

    [Fact]
    public void Reply_history_is_not_the_senders_words()
    {
        var reply = Label("Thank you, that's very helpful.\n\nOn Mon, 2 Mar 2026 at 09:15, Gary wrote:\n> you useless idiot", TriageLabels.Abusive);
        Assert.Equal(TriageLabels.Unlikely, reply.Bucket);
    }

    [Fact]
    public void A_negated_threat_does_not_count()
    {
        var negated = Label("I would never hurt you, I just want an answer.", TriageLabels.Threatening);
        Assert.Equal(TriageLabels.Unlikely, negated.Bucket);
        Assert.Contains(negated.Reasons, r => r.Contains("negated", StringComparison.Ordinal));
    }

    [Fact]
    public void Repeated_after_asked_to_stop_needs_the_request_to_come_first()
    {
        var asked = new TriageContext(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), "letter");
        var after = TriageScorer.Default.Score(null, "Hello again.", asked, new DateTimeOffset(2026, 3, 5, 0, 0, 0, TimeSpan.Zero)).Single(f => f.Label == TriageLabels.RepeatedAfterStop);
        var before = TriageScorer.Default.Score(null, "Hello again.", asked, new DateTimeOffset(2026, 2, 5, 0, 0, 0, TimeSpan.Zero)).Single(f => f.Label == TriageLabels.RepeatedAfterStop);
        Assert.Equal(TriageLabels.Likely, after.Bucket);
        Assert.Equal(TriageLabels.Unlikely, before.Bucket);
    }

    [Fact]
    public void The_lexicon_is_versioned_and_a_broken_one_is_refused_plainly()
    {
        Assert.False(string.IsNullOrWhiteSpace(Lexicon.Default.Version));
        var error = Assert.Throws<InvalidDataException>(() => Lexicon.Load(new MemoryStream("""{"version":"x","labels":{"abusive":{"entries":[{"pattern":"(("}]}}}"""u8.ToArray())));
        Assert.Contains("not a valid regular expression", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_very_long_message_is_scored_on_its_start_and_says_so_and_never_throws()
    {
        var text = "You useless idiot. " + string.Join(' ', Enumerable.Repeat("you you you your your such a a", 20_000));
        var abusive = Label(text, TriageLabels.Abusive);
        Assert.Equal(TriageLabels.Likely, abusive.Bucket);
        Assert.Contains(abusive.Reasons, r => r.Contains("only the first 20,000 characters", StringComparison.Ordinal));
    }
}
