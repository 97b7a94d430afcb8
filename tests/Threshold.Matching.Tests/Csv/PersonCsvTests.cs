using Threshold.Matching.Csv;
using Threshold.Matching.Linking;
using Threshold.Matching.Scoring;

namespace Threshold.Matching.Tests.Csv;

public class PersonCsvTests
{
    private static (List<PersonRecord> Records, List<CsvWarning> Warnings) Read(string text, string? idColumn = null)
    {
        var warnings = new List<CsvWarning>();
        var records = PersonCsv.Read(new StringReader(text), new CsvReadOptions { IdColumn = idColumn, Warning = warnings.Add }).ToList();
        return (records, warnings);
    }

    [Fact]
    public void Read_RecognisesColumnsCaseInsensitivelyAndTrimsLeadingSpaces()
    {
        var (records, warnings) = Read("REC_ID, Given_Name, family_name, date_of_birth, town, unknown\nr1, alex, morgan, 19840307, riverside, x\n");
        var r = Assert.Single(records);
        Assert.Equal(("r1", "alex", "morgan", "19840307", "riverside"), (r.Id, r.GivenName, r.FamilyName, r.DateOfBirth, r.Town));
        Assert.Empty(warnings);
    }

    [Fact]
    public void Read_ReportsRaggedRowsAndDuplicateIdsButKeepsGoing()
    {
        var (records, warnings) = Read("rec_id,given_name,surname\n1,alex,morgan\n2,sam\n1,other,person\n3,a,b,c\n");
        Assert.Equal(["1", "2", "3"], records.Select(r => r.Id));
        Assert.Null(records[1].FamilyName);
        Assert.Contains(warnings, w => w.Line == 3 && w.Message.Contains("2 fields", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Line == 4 && w.Message.Contains("duplicate id '1'", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Line == 5 && w.Message.Contains("extra", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_EmptyInputIsAClearError()
    {
        var e = Assert.Throws<CsvFormatException>(() => Read(""));
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingHeaderIsAClearError()
    {
        var e = Assert.Throws<CsvFormatException>(() => Read("rec-1-org, michaela, neumann, 8\n"));
        Assert.Contains("not a header", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UsesANamedIdColumnAndQuotedFields()
    {
        var (records, _) = Read("case_ref,given_name,address_1\nC-9,\"Mary, Jane\",\"12 \"\"The Old Forge\"\"\"\n", idColumn: "case_ref");
        Assert.Equal(("C-9", "Mary, Jane", "12 \"The Old Forge\""), (records[0].Id, records[0].GivenName, records[0].AddressLine1));
    }

    [Fact]
    public void Read_WarnsAboutBytesThatWereNotUtf8()
    {
        var (_, warnings) = Read("rec_id,given_name\n1,Zo\uFFFD\n");
        Assert.Contains(warnings, w => w.Message.Contains("UTF-8", StringComparison.Ordinal));
    }

    [Fact]
    public void WritePairs_WritesTheDocumentedHeaderAndEscapes()
    {
        var writer = new StringWriter();
        PersonCsv.WritePairs(writer, [new LinkedPair("a,1", "b", 0.98765432, 10)]);
        Assert.Equal("left_id,right_id,match_probability\n\"a,1\",b,0.987654\n", writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Link_FromCsvReadersReportsProgressAndOneToOnePairs()
    {
        var left = "rec_id,given_name,surname,date_of_birth,postcode\nL1,Robert,Ashworth,1979-05-14,RB1 2AB\nL2,Priya,Okafor,1990-11-30,HB4 7QT\n";
        var right = "id,first_name,last_name,dob,post_code\nR1,Bob,Ashworth,14/05/1979,rb12ab\nR2,Priya,Okafor,19901130,HB4 7QT\nR3,Priya,Okafor,19901130,HB4 7QT\n";
        var stages = new List<string>();
        var result = Linker.Link(
            PersonCsv.Read(new StringReader(left)),
            PersonCsv.Read(new StringReader(right)),
            new LinkOptions { OneToOne = true, Model = MatchModel.Default(), Progress = p => stages.Add(p.Stage) });
        Assert.Equal(2, result.Pairs.Count);
        Assert.Contains(result.Pairs, p => p is { LeftId: "L1", RightId: "R1" });
        Assert.Single(result.Pairs, p => p.LeftId == "L2");
        Assert.Contains("assigning", stages);
    }
}
