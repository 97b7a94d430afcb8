using Threshold.Matching.Generation;
using Threshold.Matching.Index;
using Threshold.Matching.Scoring;

namespace Threshold.Matching.Tests.Index;

public class PersonIndexTests
{
    [Fact]
    public void Query_FindsTheSamePersonDespiteNicknameTypoAndFormats()
    {
        var index = new PersonIndex(MatchModel.Default());
        index.Add(new PersonRecord { Id = "a", GivenName = "Robert", FamilyName = "Ashworth", DateOfBirth = "1979-05-14", Postcode = "RB1 2AB", Phone = "07700 900123" });
        index.Add(new PersonRecord { Id = "b", GivenName = "Rebecca", FamilyName = "Ashworth", DateOfBirth = "1981-02-02", Postcode = "RB1 2AB", Phone = "07700 900123" });
        index.Add(new PersonRecord { Id = "c", GivenName = "Priya", FamilyName = "Okafor", DateOfBirth = "1990-11-30", Postcode = "HB4 7QT" });

        var found = index.Query(new PersonRecord { GivenName = "bob", FamilyName = "Ashwort", DateOfBirth = "14/05/1979", Phone = "+44 7700 900123" });

        Assert.Equal("a", found[0].Id);
        Assert.True(found[0].MatchProbability > 0.9, found[0].ToString());
        Assert.DoesNotContain(found, c => c.Id == "c");
    }

    [Fact]
    public void Add_MakesARecordFindableByTheNextQuery()
    {
        var index = new PersonIndex(MatchModel.Default());
        var query = new PersonRecord { GivenName = "Gareth", FamilyName = "Pemberton", DateOfBirth = "19700101" };
        Assert.Empty(index.Query(query));
        index.Add(query with { Id = "new", GivenName = "Gaz" });
        Assert.Equal("new", Assert.Single(index.Query(query)).Id);
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Query_ReturnsAtMostTopKBestFirst()
    {
        var index = new PersonIndex(MatchModel.Default());
        foreach (var person in HouseholdGenerator.People(5000))
        {
            index.Add(person);
        }

        var probe = HouseholdGenerator.People(5000).ElementAt(1234);
        var found = index.Query(probe, top: 3);
        Assert.InRange(found.Count, 1, 3);
        Assert.Equal(probe.Id, found[0].Id);
        Assert.True(found.Zip(found.Skip(1)).All(p => p.First.MatchWeight >= p.Second.MatchWeight));
        Assert.NotNull(index.Explain(probe, probe.Id));
    }
}
