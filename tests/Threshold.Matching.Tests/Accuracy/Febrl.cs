using Threshold.Matching.Csv;

namespace Threshold.Matching.Tests.Accuracy;

/// <summary>Finds the FEBRL benchmark files (shared/benchmarks/febrl beside the repository) and scores link results.</summary>
internal static class Febrl
{
    public static string Directory { get; } = Find();

    public static List<PersonRecord> Read(string file, bool withNationalId = false)
    {
        using var reader = new StreamReader(Path.Combine(Directory, file));
        return PersonCsv.Read(reader)
            .Select(r => withNationalId ? r : r with { NationalId = null })
            .ToList();
    }

    /// <summary>rec-123-org and rec-123-dup-0 are the same person.</summary>
    public static string Entity(string recId)
    {
        var parts = recId.Split('-');
        return parts[1];
    }

    public static Quality Measure(IEnumerable<(string Left, string Right)> pairs, int truePairs)
    {
        int tp = 0, fp = 0;
        foreach (var (l, r) in pairs)
        {
            if (Entity(l) == Entity(r))
            {
                tp++;
            }
            else
            {
                fp++;
            }
        }

        return new Quality(tp, fp, truePairs - tp);
    }

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "benchmarks", "febrl");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }

            dir = dir.Parent;
        }

        throw new DirectoryNotFoundException("shared/benchmarks/febrl was not found above the test folder.");
    }
}

internal sealed record Quality(int TruePositives, int FalsePositives, int FalseNegatives)
{
    public double Precision => TruePositives / (double)Math.Max(1, TruePositives + FalsePositives);
    public double Recall => TruePositives / (double)Math.Max(1, TruePositives + FalseNegatives);
    public double F1 => 2 * Precision * Recall / Math.Max(1e-12, Precision + Recall);

    public override string ToString() =>
        $"precision {Precision:0.0000}, recall {Recall:0.0000}, F1 {F1:0.0000} (tp {TruePositives}, fp {FalsePositives}, fn {FalseNegatives})";
}
