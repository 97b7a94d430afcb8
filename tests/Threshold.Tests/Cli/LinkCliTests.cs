using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Threshold.Infrastructure;
using Threshold.Matching;
using Threshold.Matching.Csv;
using Threshold.Matching.Generation;

namespace Threshold.Cli;

/// <summary>
/// Files shared by the <c>link</c>/<c>encode</c> tests: FEBRL dataset 4a and 4b without
/// <c>soc_sec_id</c> (the accuracy task) when ../shared/benchmarks/febrl is there, else a
/// generated population of households with its ground truth; and a small generated pair of files.
/// </summary>
public sealed class LinkCliData : IDisposable
{
    public LinkCliData()
    {
        Folder = Directory.CreateTempSubdirectory("threshold-link-tests-").FullName;
        var febrl = Path.GetFullPath(Path.Combine(RepoRoot.Path, "..", "shared", "benchmarks", "febrl"));
        if (File.Exists(Path.Combine(febrl, "dataset4a.csv")) && File.Exists(Path.Combine(febrl, "dataset4b.csv")))
        {
            // The national id would make the task trivial: rename its column so the linker ignores it.
            Left = Path.Combine(Folder, "febrl4a.csv");
            Right = Path.Combine(Folder, "febrl4b.csv");
            WithoutNationalId(Path.Combine(febrl, "dataset4a.csv"), Left);
            WithoutNationalId(Path.Combine(febrl, "dataset4b.csv"), Right);
            IsTruePair = (l, r) => l.Split('-')[1] == r.Split('-')[1];
            TruePairs = 5000;
            Floor = 0.998;
            EncodedFloor = 0.995;
            KnownPairs = [("rec-1070-org", "rec-1070-dup-0"), ("rec-1016-org", "rec-1016-dup-0"), ("rec-4374-org", "rec-4374-dup-0")];
            Source = "FEBRL 4a/4b";
        }
        else
        {
            var population = HouseholdGenerator.Generate(new PopulationOptions { Households = 2000, Seed = 3 });
            Left = Write(Path.Combine(Folder, "left.csv"), population.Left);
            Right = Write(Path.Combine(Folder, "right.csv"), population.Right);
            var truth = population.TruePairs;
            IsTruePair = (l, r) => truth.Contains((l, r));
            TruePairs = truth.Count;
            Floor = 0.95;
            // Dice on encodings cannot tell twins apart as the plain model does (measured: precision 0.84, recall 0.97).
            EncodedFloor = 0.8;
            KnownPairs = [.. truth.Take(3)];
            Source = "generated households";
        }

        var small = HouseholdGenerator.Generate(new PopulationOptions { Households = 300, Seed = 5 });
        SmallLeft = Write(Path.Combine(Folder, "small-left.csv"), small.Left);
        SmallRight = Write(Path.Combine(Folder, "small-right.csv"), small.Right);
    }

    public string Folder { get; }
    public string Left { get; }
    public string Right { get; }
    public Func<string, string, bool> IsTruePair { get; }
    public int TruePairs { get; }
    /// <summary>Precision and recall floor: just below what the library measures on this data.</summary>
    public double Floor { get; }
    /// <summary>The same for <c>link --encoded --one-to-one</c>.</summary>
    public double EncodedFloor { get; }
    public IReadOnlyList<(string Left, string Right)> KnownPairs { get; }
    public string Source { get; }
    public string SmallLeft { get; }
    public string SmallRight { get; }

    public static string Write(string path, IEnumerable<PersonRecord> records)
    {
        var text = new StringBuilder("rec_id,given_name,surname,date_of_birth,street_number,address_1,address_2,suburb,postcode,email,phone\n");
        foreach (var r in records)
        {
            string[] fields = [r.Id, r.GivenName ?? "", r.FamilyName ?? "", r.DateOfBirth ?? "", r.StreetNumber ?? "", r.AddressLine1 ?? "",
                r.AddressLine2 ?? "", r.Town ?? "", r.Postcode ?? "", r.Email ?? "", r.Phone ?? ""];
            text.AppendJoin(',', fields.Select(PersonCsv.Escape)).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static void WithoutNationalId(string from, string to)
    {
        var lines = File.ReadAllLines(from);
        lines[0] = lines[0].Replace("soc_sec_id", "not_used", StringComparison.Ordinal);
        File.WriteAllLines(to, lines);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary><c>threshold link</c> and <c>threshold encode</c>, run as the real executable.</summary>
public sealed class LinkCliTests(LinkCliData data) : IClassFixture<LinkCliData>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("threshold-link-run-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string In(string name) => Path.Combine(_work, name);

    private static Task<ProcessResult> Run(params string[] args) => ThresholdProcess.RunAsync(args);

    private static List<(string Left, string Right, double P)> ReadPairs(string path)
    {
        var lines = File.ReadAllLines(path);
        Assert.Equal("left_id,right_id,match_probability", lines[0]);
        return lines.Skip(1).Select(l => l.Split(',')).Select(f => (f[0], f[1], double.Parse(f[2], CultureInfo.InvariantCulture))).ToList();
    }

    private static void AssertOk(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A clear one-line error and exit code 2, never a stack trace.</summary>
    private static void AssertCannotRun(ProcessResult result, string expected)
    {
        Assert.True(result.ExitCode == ExitCodes.CannotRun, $"exit {result.ExitCode}: {result.Stdout} {result.Stderr}");
        var stderr = result.Stderr.Trim();
        Assert.StartsWith("threshold: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', stderr);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    private (double Precision, double Recall) Quality(List<(string Left, string Right, double P)> pairs)
    {
        var truePositives = pairs.Count(p => data.IsTruePair(p.Left, p.Right));
        return (truePositives / (double)Math.Max(1, pairs.Count), truePositives / (double)data.TruePairs);
    }

    [Fact]
    public async Task Link_one_to_one_finds_the_true_pairs_and_its_saved_model_can_be_reused()
    {
        var result = await Run("link", data.Left, data.Right, "--out", In("pairs.csv"), "--one-to-one", "--save-model", In("model.json"));
        AssertOk(result);
        var pairs = ReadPairs(In("pairs.csv"));
        var (precision, recall) = Quality(pairs);
        Assert.True(precision >= data.Floor && recall >= data.Floor, $"{data.Source}: precision {precision:0.0000}, recall {recall:0.0000}");
        Assert.All(data.KnownPairs, known => Assert.Contains(pairs, p => p.Left == known.Left && p.Right == known.Right));
        Assert.Equal(pairs.Count, pairs.Select(p => p.Left).Distinct().Count());
        Assert.Equal(pairs.Count, pairs.Select(p => p.Right).Distinct().Count());
        Assert.All(pairs, p => Assert.InRange(p.P, 0.9, 1.0));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{pairs.Count:N0} pairs (match probability ≥ 0.9, one-to-one)"), result.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 warnings", result.Stdout, StringComparison.Ordinal);

        using (var model = JsonDocument.Parse(File.ReadAllText(In("model.json"))))
        {
            Assert.Equal(1, model.RootElement.GetProperty("version").GetInt32());
        }

        var again = await Run("link", data.Left, data.Right, "--out", In("again.csv"), "--one-to-one", "--model", In("model.json"), "--threshold", "0.99");
        AssertOk(again);
        Assert.Contains("loaded from", again.Stdout, StringComparison.Ordinal);
        var strict = ReadPairs(In("again.csv"));
        Assert.All(strict, p => Assert.True(p.P >= 0.99, p.ToString()));
        Assert.InRange(strict.Count, pairs.Count * 9 / 10, pairs.Count);
    }

    [Fact]
    public async Task Without_one_to_one_every_accepted_pair_is_written_and_the_id_column_can_be_named()
    {
        var renamed = In("renamed.csv");
        var lines = File.ReadAllLines(data.SmallLeft);
        lines[0] = lines[0].Replace("rec_id", "case_ref", StringComparison.Ordinal);
        File.WriteAllLines(renamed, lines);
        var right = In("right.csv");
        lines = File.ReadAllLines(data.SmallRight);
        lines[0] = lines[0].Replace("rec_id", "case_ref", StringComparison.Ordinal);
        File.WriteAllLines(right, lines);

        var all = await Run("link", renamed, right, "--out", In("all.csv"), "--id-column", "case_ref");
        AssertOk(all);
        var oneToOne = await Run("link", renamed, right, "--out", In("one.csv"), "--id-column", "case_ref", "--one-to-one");
        AssertOk(oneToOne);
        var allPairs = ReadPairs(In("all.csv"));
        var onePairs = ReadPairs(In("one.csv"));
        Assert.True(onePairs.Count > 100, $"{onePairs.Count} pairs");
        Assert.True(allPairs.Count >= onePairs.Count);
        Assert.All(onePairs, p => Assert.StartsWith("L", p.Left, StringComparison.Ordinal));
        Assert.Subset(allPairs.Select(p => (p.Left, p.Right)).ToHashSet(), onePairs.Select(p => (p.Left, p.Right)).ToHashSet());

        var wrongColumn = await Run("link", renamed, right, "--out", In("x.csv"), "--id-column", "person_id");
        AssertCannotRun(wrongColumn, "The id column 'person_id' is not in the header");
    }

    [Fact]
    public async Task Encode_then_link_encoded_finds_the_same_people_and_another_key_finds_none()
    {
        var key = In("agency.key");
        File.WriteAllText(key, "fictional-shared-secret-for-tests-0123456789\n");
        AssertOk(await Run("encode", data.Left, "--key-file", key, "--out", In("left.clk")));
        var encodeRight = await Run("encode", data.Right, "--key-file", key, "--out", In("right.clk"));
        AssertOk(encodeRight);
        Assert.Contains("Encoded", encodeRight.Stdout, StringComparison.Ordinal);
        var clk = File.ReadAllLines(In("left.clk"));
        Assert.Equal("id,clk", clk[0]);
        Assert.Equal(File.ReadAllLines(data.Left).Length, clk.Length);
        Assert.DoesNotContain(clk, line => line.Contains("street", StringComparison.OrdinalIgnoreCase));

        var linked = await Run("link", In("left.clk"), In("right.clk"), "--encoded", "--one-to-one", "--out", In("pairs.csv"));
        AssertOk(linked);
        var pairs = ReadPairs(In("pairs.csv"));
        var (precision, recall) = Quality(pairs);
        Assert.True(precision >= data.EncodedFloor && recall >= data.EncodedFloor, $"{data.Source} encoded: precision {precision:0.0000}, recall {recall:0.0000}");
        Assert.Equal(pairs.Count, pairs.Select(p => p.Left).Distinct().Count());
        Assert.Equal(pairs.Count, pairs.Select(p => p.Right).Distinct().Count());
        Assert.All(pairs, p => Assert.InRange(p.P, 0.6, 1.0));

        // Encodings made with another agency's secret are not comparable: hardly anything links.
        var otherKey = In("other.key");
        File.WriteAllText(otherKey, "a-different-fictional-secret-9876543210");
        AssertOk(await Run("encode", data.Right, "--key-file", otherKey, "--out", In("other.clk")));
        AssertOk(await Run("link", In("left.clk"), In("other.clk"), "--encoded", "--out", In("none.csv")));
        Assert.True(ReadPairs(In("none.csv")).Count < data.TruePairs / 100);
    }

    [Theory]
    [InlineData(null, "does not exist")]
    [InlineData("", "is empty")]
    [InlineData("  \n", "is empty")]
    [InlineData("too-short\n", "is 9 bytes; at least 16 are needed")]
    public async Task Encode_refuses_a_missing_empty_or_short_key(string? key, string expected)
    {
        var keyFile = In("agency.key");
        if (key is not null)
        {
            File.WriteAllText(keyFile, key);
        }

        var result = await Run("encode", data.SmallLeft, "--key-file", keyFile, "--out", In("out.clk"));
        AssertCannotRun(result, expected);
        Assert.False(File.Exists(In("out.clk")));
    }

    [Fact]
    public async Task Missing_files_exit_2_naming_the_file()
    {
        AssertCannotRun(await Run("link", In("absent.csv"), data.SmallRight, "--out", In("p.csv")), "LEFT file '" + In("absent.csv") + "' does not exist");
        AssertCannotRun(await Run("link", data.SmallLeft, In("absent.csv"), "--out", In("p.csv")), "RIGHT file '" + In("absent.csv") + "' does not exist");
        AssertCannotRun(await Run("link", data.SmallLeft, data.SmallRight, "--out", In("p.csv"), "--model", In("absent.json")), "model file");
        AssertCannotRun(await Run("encode", In("absent.csv"), "--key-file", In("k"), "--out", In("p.clk")), "does not exist");
        AssertCannotRun(await Run("link", data.SmallLeft, data.SmallRight, "--out", In("no-such-folder/p.csv")), "the folder for --out");
        AssertCannotRun(await Run("link", data.SmallLeft, data.SmallRight, "--out", data.SmallLeft), "is also an input");
        AssertCannotRun(await Run("link", data.SmallLeft, data.SmallRight, "--out", In("p.csv"), "--threshold", "1.5"), "--threshold must be above 0 and at most 1");
        Assert.False(File.Exists(In("p.csv")));
    }

    [Theory]
    [InlineData("", "LEFT", "The input is empty")]
    [InlineData("\n\n", "LEFT", "The input is empty")]
    [InlineData("rec-1, ann, lee, 19800101\nrec-2, bo, ray, 19700101\n", "LEFT", "Line 1 is not a header")]
    [InlineData("", "RIGHT", "The input is empty")]
    [InlineData("rec-1, ann, lee, 19800101\n", "RIGHT", "Line 1 is not a header")]
    public async Task Empty_files_and_a_missing_header_exit_2(string content, string side, string expected)
    {
        var bad = In("bad.csv");
        File.WriteAllText(bad, content);
        var result = side == "LEFT"
            ? await Run("link", bad, data.SmallRight, "--out", In("p.csv"))
            : await Run("link", data.SmallLeft, bad, "--out", In("p.csv"));
        AssertCannotRun(result, $"{side} '{bad}' cannot be read: {expected}");
        Assert.False(File.Exists(In("p.csv")));
        Assert.Empty(Directory.GetFiles(_work, "*.tmp", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("duplicate", "line 3: duplicate id 'X1'; row skipped")]
    [InlineData("ragged-short", "line 3: 2 fields where the header has 4; the missing ones are treated as blank")]
    [InlineData("ragged-long", "line 3: 6 fields where the header has 4; the extra ones are ignored")]
    [InlineData("not-utf8", "line 3: bytes that are not UTF-8 were replaced")]
    public async Task Bad_rows_are_warned_about_counted_and_the_rest_linked(string problem, string expected)
    {
        var header = "rec_id,given_name,surname,date_of_birth";
        var text = new MemoryStream();
        void Line(string s) => text.Write(Encoding.UTF8.GetBytes(s + "\n"));
        Line(header);
        Line("X1,Ada,Quarrington,1984-03-02");
        switch (problem)
        {
            case "duplicate":
                Line("X1,Ada,Quarrington,1984-03-02");
                break;
            case "ragged-short":
                Line("X2,Bea");
                break;
            case "ragged-long":
                Line("X2,Bea,Orrin,1990-01-01,extra,more");
                break;
            default:
                text.Write("X2,Be"u8);
                text.Write([0xff, 0xfe]);
                text.Write("a,Orrin,1990-01-01\n"u8);
                break;
        }

        Line("X3,Cal,Penhallow,2001-12-24");
        var left = In("left.csv");
        File.WriteAllBytes(left, text.ToArray());

        var result = await Run("link", left, data.SmallRight, "--out", In("p.csv"));
        AssertOk(result);
        Assert.Contains($"threshold: warning: LEFT {left} {expected}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 warning (1 in LEFT", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(problem == "duplicate" ? "Linked 2 LEFT" : "Linked 3 LEFT", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("left_id,right_id,match_probability", File.ReadLines(In("p.csv")).First());
    }

    [Theory]
    [InlineData("{not json", "is not valid JSON")]
    [InlineData("", "is not valid JSON")]
    [InlineData("[1, 2, 3]", "is not valid JSON")]
    [InlineData("{\"version\": 7, \"matchPrior\": 0.1, \"fields\": []}", "is version 7; this build reads version 1")]
    [InlineData("{\"version\": 1, \"matchPrior\": 0.1, \"fields\": []}", "must list each field once")]
    [InlineData("{\"version\": 1, \"matchPrior\": 0.1}", "is not valid JSON")]
    [InlineData("{\"version\": 1, \"matchPrior\": 2, \"fields\": []}", "matchPrior must be a probability")]
    public async Task A_malformed_model_file_exits_2_with_the_reason(string json, string expected)
    {
        var model = In("model.json");
        File.WriteAllText(model, json);
        var result = await Run("link", data.SmallLeft, data.SmallRight, "--out", In("p.csv"), "--model", model);
        AssertCannotRun(result, $"the model file '{model}' cannot be used: ");
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(In("p.csv")));
    }

    [Fact]
    public async Task Bad_encodings_files_are_refused_or_warned_about()
    {
        var key = In("agency.key");
        File.WriteAllText(key, "fictional-shared-secret-for-tests-0123456789");
        AssertOk(await Run("encode", data.SmallLeft, "--key-file", key, "--out", In("left.clk")));

        AssertCannotRun(await Run("link", In("left.clk"), data.SmallRight, "--encoded", "--out", In("p.csv")), "does not start with the header 'id,clk'");

        var lines = File.ReadAllLines(In("left.clk")).ToList();
        lines.Insert(2, "broken,not-base64!");
        lines.Insert(3, lines[1]);
        File.WriteAllLines(In("right.clk"), lines);
        var result = await Run("link", In("left.clk"), In("right.clk"), "--encoded", "--one-to-one", "--out", In("p.csv"));
        AssertOk(result);
        Assert.Contains("line 3: not an id and a 1024-bit CLK in base64; row skipped", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 4: duplicate id", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("2 warnings (2 in RIGHT", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(lines.Count - 3, ReadPairs(In("p.csv")).Count);

        AssertCannotRun(await Run("link", In("left.clk"), In("right.clk"), "--encoded", "--out", In("p.csv"), "--model", In("m.json")), "do not apply to --encoded");
    }

    [Fact]
    public async Task Link_and_encode_never_open_or_create_the_data_folder()
    {
        var key = In("agency.key");
        File.WriteAllText(key, "fictional-shared-secret-for-tests-0123456789");
        var cwd = Directory.CreateDirectory(In("cwd")).FullName;
        // /proc cannot hold a new folder, even for root: a command that tried to open the store would fail.
        foreach (var args in new[]
        {
            new[] { "link", data.SmallLeft, data.SmallRight, "--out", In("p.csv"), "--one-to-one" },
            ["encode", data.SmallLeft, "--key-file", key, "--out", In("l.clk")],
            ["link", In("l.clk"), In("l.clk"), "--encoded", "--out", In("e.csv"), "--data", "/proc/threshold-data"],
            ["link", data.SmallLeft, data.SmallRight, "--out", In("q.csv"), "--data", "/proc/threshold-data", "--database", "postgres://nobody:x@127.0.0.1:1/none"],
        })
        {
            var info = ThresholdProcess.StartInfo(args);
            info.WorkingDirectory = cwd;
            using var process = Process.Start(info)!;
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{string.Join(' ', args)}: {stdout} {await stderr}");
        }

        Assert.Empty(Directory.GetFileSystemEntries(cwd));
        Assert.True(File.Exists(In("p.csv")) && File.Exists(In("e.csv")) && File.Exists(In("q.csv")));
    }
}
