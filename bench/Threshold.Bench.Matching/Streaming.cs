using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Threshold.Matching;
using Threshold.Matching.Csv;
using Threshold.Matching.Generation;
using Threshold.Matching.Scoring;

namespace Threshold.Bench.Matching;

/// <summary>
/// Shows that <c>threshold link</c> streams LEFT: it links a generated LEFT file of millions of rows,
/// and one a tenth of its size, against the same modest RIGHT, running the real executable and
/// reading its peak resident memory (VmHWM) — which should follow RIGHT (the index), not LEFT. As a
/// baseline from the same run, the small LEFT is also linked the other way round, so that it is the
/// side held in memory.
/// </summary>
internal static partial class Streaming
{
    private const string Header = "rec_id,given_name,surname,date_of_birth,street_number,address_1,address_2,suburb,postcode,email,phone";

    public static void Run(string? dll, int leftRows, int rightRows, MatchModel model)
    {
        dll ??= Locate();
        if (dll is null || !File.Exists(dll))
        {
            Console.WriteLine("streaming link: threshold.dll not found; build it first (dotnet build -c Release src/Threshold) or pass --threshold-dll PATH");
            return;
        }

        var folder = Directory.CreateTempSubdirectory("threshold-stream-bench-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            var right = Path.Combine(folder, "right.csv");
            var small = Path.Combine(folder, "left-small.csv");
            var large = Path.Combine(folder, "left-large.csv");
            Generate(right, small, large, rightRows, leftRows / 10, leftRows);
            // The model fitted on a households population (see FitModel): EM on these files, where
            // one LEFT row in fifty has a partner, learns namesakes instead (the last line shows it).
            var modelFile = Path.Combine(folder, "model.json");
            File.WriteAllText(modelFile, model.ToJson());
            string[] withModel = ["--model", modelFile];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"streaming link (`threshold link LEFT RIGHT --out PAIRS --one-to-one --model M.json`, {dll}); files generated in {clock.Elapsed.TotalSeconds:0} s:"));
            var smallRun = Link(dll, small, right, folder, withModel);
            var largeRun = Link(dll, large, right, folder, withModel);
            var heldRun = Link(dll, right, small, folder, withModel);
            var emRun = Link(dll, small, right, folder, []);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  LEFT {leftRows / 10,9:N0} rows ({Mib(small),5:0} MiB) streamed against RIGHT {rightRows:N0} rows ({Mib(right):0} MiB): {smallRun}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  LEFT {leftRows,9:N0} rows ({Mib(large),5:0} MiB) streamed against RIGHT {rightRows:N0} rows ({Mib(right):0} MiB): {largeRun}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  peak memory {largeRun.PeakMiB - smallRun.PeakMiB:+0;-0} MiB while LEFT grew {Mib(large) - Mib(small):0} MiB ({leftRows - (leftRows / 10):N0} rows); {(leftRows - (leftRows / 10)) / (largeRun.Elapsed - smallRun.Elapsed).TotalSeconds:N0} LEFT rows/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  baseline, the small file held instead (as RIGHT, {leftRows / 10:N0} rows, against LEFT {rightRows:N0} rows): {heldRun}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  the small LEFT again with the model fitted by EM on these two files (no --model): {emRun}"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Mib(string path) => new FileInfo(path).Length / 1048576.0;

    /// <summary>
    /// RIGHT: clean generated persons. LEFT: a stream of other generated persons in which one row in
    /// fifty is a corrupted copy of a different RIGHT person (the pairs to find; its id names the
    /// RIGHT id, so the run can be scored). The other rows carry no phone number: the generator has
    /// only the 16,000 fictional numbers Ofcom reserves for drama, and at millions of rows strangers
    /// would share them. The small LEFT is the first rows of the large one.
    /// </summary>
    private static void Generate(string rightPath, string smallPath, string largePath, int rightRows, int smallRows, int largeRows)
    {
        var rightPeople = HouseholdGenerator.People(rightRows, seed: 41).Select(p => p with { Id = "R" + p.Id }).ToList();
        using (var writer = new StreamWriter(rightPath, false, new UTF8Encoding(false), 1 << 16))
        {
            writer.WriteLine(Header);
            foreach (var p in rightPeople)
            {
                WriteRow(writer, p);
            }
        }

        var random = new Random(43);
        var order = Enumerable.Range(0, rightPeople.Count).OrderBy(_ => random.Next()).ToArray();
        var copies = 0;
        using var smallWriter = new StreamWriter(smallPath, false, new UTF8Encoding(false), 1 << 16);
        using var largeWriter = new StreamWriter(largePath, false, new UTF8Encoding(false), 1 << 16);
        smallWriter.WriteLine(Header);
        largeWriter.WriteLine(Header);
        using var others = HouseholdGenerator.People(largeRows, seed: 47).GetEnumerator();
        for (var n = 0; n < largeRows && others.MoveNext(); n++)
        {
            PersonRecord person;
            if (random.NextDouble() < 0.02 && copies < order.Length)
            {
                var source = rightPeople[order[copies++]];
                person = HouseholdGenerator.Corrupt(source, random) with { Id = string.Create(CultureInfo.InvariantCulture, $"L{n}-{source.Id}") };
            }
            else
            {
                person = others.Current with { Id = string.Create(CultureInfo.InvariantCulture, $"L{n}"), Phone = null };
            }

            WriteRow(largeWriter, person);
            if (n < smallRows)
            {
                WriteRow(smallWriter, person);
            }
        }
    }

    private static void WriteRow(TextWriter writer, PersonRecord r)
    {
        string[] fields = [r.Id, r.GivenName ?? "", r.FamilyName ?? "", r.DateOfBirth ?? "", r.StreetNumber ?? "", r.AddressLine1 ?? "",
            r.AddressLine2 ?? "", r.Town ?? "", r.Postcode ?? "", r.Email ?? "", r.Phone ?? ""];
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            writer.Write(PersonCsv.Escape(fields[i]));
        }

        writer.WriteLine();
    }

    private static RunFigures Link(string dll, string left, string right, string folder, string[] extra)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "link", left, right, "--out", Path.Combine(folder, "pairs.csv"), "--one-to-one" }.Concat(extra))
        {
            info.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                // Progress lines pass through, so a long run shows where it is.
                Console.WriteLine("    " + e.Data);
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        long polledKib = 0;
        while (!process.WaitForExit(100))
        {
            polledKib = Math.Max(polledKib, VmHwmKib(process.Id));
        }

        process.WaitForExit();
        var output = stdout.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"threshold link failed ({process.ExitCode}): {stderr}");
        }

        var reported = PeakMemory().Match(output);
        var elapsed = clock.Elapsed;

        // A copy's id is "L<n>-<RIGHT id>": a pair is true when the two ids say so (either way round).
        int pairs = 0, truePairs = 0;
        foreach (var line in File.ReadLines(Path.Combine(folder, "pairs.csv")).Skip(1))
        {
            var ids = line.Split(',');
            pairs++;
            if (ids[0].EndsWith("-" + ids[1], StringComparison.Ordinal) || ids[1].EndsWith("-" + ids[0], StringComparison.Ordinal))
            {
                truePairs++;
            }
        }

        var copies = File.ReadLines(left).Concat(File.ReadLines(right)).Count(l => l.StartsWith('L') && l.Split(',')[0].Contains('-', StringComparison.Ordinal));
        return new RunFigures(
            elapsed,
            reported.Success ? long.Parse(reported.Groups[1].Value, CultureInfo.InvariantCulture) : polledKib / 1024,
            polledKib / 1024,
            pairs,
            truePairs / (double)Math.Max(1, pairs),
            truePairs / (double)Math.Max(1, copies));
    }

    private static long VmHwmKib(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    private static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Threshold.slnx")))
            {
                return new[] { "Release", "Debug" }
                    .Select(c => Path.Combine(dir.FullName, "src", "Threshold", "bin", c, "net10.0", "threshold.dll"))
                    .FirstOrDefault(File.Exists);
            }
        }

        return null;
    }

    [GeneratedRegex(@"peak memory (\d+) MiB")]
    private static partial Regex PeakMemory();

    private sealed record RunFigures(TimeSpan Elapsed, long PeakMiB, long PolledMiB, int Pairs, double Precision, double Recall)
    {
        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture,
                $"{Elapsed.TotalSeconds,4:0} s, peak resident memory {PeakMiB,5:N0} MiB (polled {PolledMiB:N0}); {Pairs:N0} pairs, precision {Precision:0.000}, recall {Recall:0.000}");
    }
}
