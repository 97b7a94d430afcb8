using Threshold.Matching.Normalisation;
using Threshold.Matching.Scoring;

namespace Threshold.Matching.Tests.Scoring;

public class ComparisonAndModelTests
{
    private static NormalisedPerson P(string given = "Alex", string family = "Morgan", string dob = "1984-03-07", string? line1 = "12 Acacia Road", string? postcode = "RB1 2AB") =>
        PersonNormaliser.Default.Normalise(new PersonRecord { Id = Guid.NewGuid().ToString(), GivenName = given, FamilyName = family, DateOfBirth = dob, AddressLine1 = line1, Postcode = postcode });

    [Theory]
    [InlineData("Robert", "Bob", 1)]
    [InlineData("Sarah", "Arah", 2)]
    [InlineData("Stephen", "Steven", 3)]
    [InlineData("Martha", "Marhta", 2)]
    [InlineData("Jon", "J", 5)]
    [InlineData("Alex", "Priya", 7)]
    public void GivenName_PutsPairsInTheExpectedLevel(string a, string b, int level) =>
        Assert.Equal(level, Comparisons.GivenName(P(given: a), P(given: b)));

    [Fact]
    public void GivenName_SwappedWithFamilyNameHasItsOwnLevel() =>
        Assert.Equal(6, Comparisons.GivenName(P(given: "Morgan", family: "Alex"), P()));

    [Theory]
    [InlineData("1984-03-07", "07/03/1984", 0)]
    [InlineData("1984-03-07", "1984-07-03", 1)]
    [InlineData("1984-03-07", "1984-03-08", 2)]
    [InlineData("1984-03-07", "1975-03-07", 3)]
    [InlineData("1984-03-07", "2011-09-21", 4)]
    public void DateOfBirth_RecognisesSwapsTyposAndPartialAgreement(string a, string b, int level) =>
        Assert.Equal(level, Comparisons.DateOfBirth(P(dob: a), P(dob: b)));

    [Fact]
    public void Compare_MissingValueIsNeitherAgreementNorDisagreement()
    {
        Span<sbyte> levels = stackalloc sbyte[Comparisons.FieldCount];
        Comparisons.Compare(P(postcode: null), P(), levels);
        Assert.Equal(Comparisons.Missing, levels[(int)MatchField.Postcode]);
    }

    [Fact]
    public void Compare_AddressLinesInTheOtherOrderStillAgree()
    {
        var a = PersonNormaliser.Default.Normalise(new PersonRecord { Id = "a", AddressLine1 = "Flat 2", AddressLine2 = "Rose Court" });
        var b = PersonNormaliser.Default.Normalise(new PersonRecord { Id = "b", AddressLine1 = "Rose Court", AddressLine2 = "Flat 2" });
        Span<sbyte> levels = stackalloc sbyte[Comparisons.FieldCount];
        Comparisons.Compare(a, b, levels);
        Assert.Equal(0, levels[(int)MatchField.AddressLine1]);
    }

    [Fact]
    public void Scorer_AgreementOutweighsDisagreement()
    {
        var scorer = new Scorer(MatchModel.Default());
        var same = scorer.Probability(P(), P(given: "Alexander"));
        var different = scorer.Probability(P(), P(given: "Priya", family: "Okafor", dob: "1990-11-30", line1: "3 Mill Lane", postcode: "RB9 9ZZ"));
        Assert.True(same > 0.9, $"same {same}");
        Assert.True(different < 0.01, $"different {different}");
    }

    [Fact]
    public void Explain_GivesEachFieldsLevelAndWeightsThatSumToTheMatchWeight()
    {
        var scorer = new Scorer(MatchModel.Default());
        var a = P();
        var b = P(dob: "1984-07-03");
        var explanation = scorer.Explain(a, b);
        Assert.Equal(Comparisons.FieldCount, explanation.Fields.Count);
        Assert.Equal("day and month swapped", explanation.Fields.Single(f => f.Field == MatchField.DateOfBirth).Level);
        Assert.Equal(explanation.MatchWeight, explanation.PriorWeight + explanation.Fields.Sum(f => f.Weight) + explanation.IdentityConflictWeight + explanation.MoveCorrection, 9);
        Assert.Equal(scorer.Weight(a, b), explanation.MatchWeight, 9);
        Assert.Contains("DateOfBirth: day and month swapped", explanation.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Scorer_AMoveCountsAsOneDisagreementNotOnePerLocationField()
    {
        var scorer = new Scorer(MatchModel.Default());
        var before = PersonNormaliser.Default.Normalise(new PersonRecord { Id = "a", GivenName = "Alex", FamilyName = "Morgan", DateOfBirth = "1984-03-07", StreetNumber = "12", AddressLine1 = "Acacia Road", Town = "Riverside", Postcode = "RB1 2AB" });
        var moved = PersonNormaliser.Default.Normalise(new PersonRecord { Id = "b", GivenName = "Alex", FamilyName = "Morgan", DateOfBirth = "1984-03-07", StreetNumber = "3", AddressLine1 = "Mill Lane", Town = "Harbourside", Postcode = "HB9 4QT" });
        var explanation = scorer.Explain(before, moved);
        var locationSum = explanation.Fields.Where(f => f.Field is MatchField.StreetNumber or MatchField.AddressLine1 or MatchField.Town or MatchField.Postcode).Sum(f => f.Weight);
        var mildest = explanation.Fields.Where(f => f.Field is MatchField.StreetNumber or MatchField.AddressLine1 or MatchField.Town or MatchField.Postcode).Max(f => f.Weight);
        Assert.True(Math.Abs(mildest - locationSum - explanation.MoveCorrection) < 1e-9, explanation.ToString());
        Assert.True(explanation.MoveCorrection > 0);
        Assert.Contains("moved", explanation.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Model_RoundTripsThroughVersionedJson()
    {
        var model = MatchModel.Default() with { MatchPrior = 0.0123 };
        var json = model.ToJson();
        Assert.Contains("\"version\": 1", json, StringComparison.Ordinal);
        var loaded = MatchModel.FromJson(json);
        Assert.Equal(0.0123, loaded.MatchPrior);
        Assert.Equal(model[MatchField.GivenName].M, loaded[MatchField.GivenName].M);
        Assert.Equal(new Scorer(model).Weight(P(), P(given: "Al")), new Scorer(loaded).Weight(P(), P(given: "Al")), 12);
    }

    [Theory]
    [InlineData("{\"version\": 99, \"matchPrior\": 0.1, \"fields\": []}", "version 99")]
    [InlineData("not json", "not valid JSON")]
    public void Model_RefusesUnknownVersionsAndBrokenFilesPlainly(string json, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => MatchModel.FromJson(json));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
