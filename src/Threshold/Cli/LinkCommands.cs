using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Threshold.Matching.Csv;
using Threshold.Matching.Linking;
using Threshold.Matching.Privacy;
using Threshold.Matching.Scoring;
using LinkOptions = Threshold.Matching.Linking.LinkOptions;

namespace Threshold.Cli;

/// <summary>
/// <c>threshold link</c> and <c>threshold encode</c>: person matching between two CSV files, plain
/// or on privacy-preserving encodings. They read and write only the files they are given: they
/// never open the store, so <c>--data</c> and <c>--database</c> are accepted and ignored.
/// </summary>
public static class LinkCommands
{
    /// <summary>Fewest bytes a key file's secret may have.</summary>
    public const int MinimumKeyBytes = 16;

    /// <summary>Match probability at or above which <c>link</c> accepts a pair.</summary>
    public const double DefaultThreshold = 0.9;

    /// <summary>
    /// Dice coefficient at or above which <c>link --encoded --one-to-one</c> accepts a pair. Many
    /// different persons' encodings reach 0.6 (they share common bigrams), and only the one-to-one
    /// assignment keeps them apart; without it the default is <see cref="DefaultEncodedThresholdAllPairs"/>.
    /// </summary>
    public const double DefaultEncodedThreshold = 0.6;

    /// <summary>Dice coefficient at or above which <c>link --encoded</c> without <c>--one-to-one</c> accepts a pair.</summary>
    public const double DefaultEncodedThresholdAllPairs = 0.8;

    public static Command Link()
    {
        var left = new Argument<string>("LEFT") { Description = "CSV with a header (rec_id, given_name, surname, date_of_birth, …); streamed" };
        var right = new Argument<string>("RIGHT") { Description = "CSV with a header; held in memory and blocked" };
        var output = new Option<string>("--out") { Description = "Where to write left_id,right_id,match_probability", Required = true };
        var oneToOne = new Option<bool>("--one-to-one") { Description = "Keep at most one partner per record: the best assignment, best pairs first" };
        var model = new Option<string?>("--model") { Description = "Score with this saved model (JSON) instead of fitting one by EM on the data" };
        var saveModel = new Option<string?>("--save-model") { Description = "Save the model used (fitted or loaded) to this file, for --model next time" };
        var idColumn = new Option<string?>("--id-column") { Description = "Name of the id column when it is not rec_id" };
        var threshold = new Option<double?>("--threshold")
        {
            Description = string.Create(CultureInfo.InvariantCulture,
                $"Accept pairs at or above this match probability (default {DefaultThreshold}); with --encoded, this Dice coefficient (default {DefaultEncodedThreshold} with --one-to-one, {DefaultEncodedThresholdAllPairs} without)"),
        };
        var encoded = new Option<bool>("--encoded") { Description = "LEFT and RIGHT are encodings made by `threshold encode` (id,clk); match on Dice similarity" };
        var link = new Command("link", "Link two CSV files of persons: who in LEFT is who in RIGHT")
        {
            left, right, output, oneToOne, model, saveModel, idColumn, threshold, encoded,
        };
        link.SetAction(parse => Run(() =>
        {
            var request = new LinkRequest(parse.GetValue(left)!, parse.GetValue(right)!, parse.GetValue(output)!, parse.GetValue(oneToOne),
                parse.GetValue(model), parse.GetValue(saveModel), parse.GetValue(idColumn), parse.GetValue(threshold), parse.GetValue(encoded));
            return request.Encoded ? LinkEncoded(request) : LinkPlain(request);
        }));
        return link;
    }

    public static Command Encode()
    {
        var input = new Argument<string>("IN") { Description = "CSV of persons with a header, as for `threshold link`" };
        var keyFile = new Option<string>("--key-file")
        {
            Description = $"File holding the secret shared by the linking agencies: its bytes, surrounding spaces and line breaks ignored, at least {MinimumKeyBytes} (e.g. `openssl rand -base64 32 > K`)",
            Required = true,
        };
        var output = new Option<string>("--out") { Description = "Where to write the encodings (id,clk)", Required = true };
        var idColumn = new Option<string?>("--id-column") { Description = "Name of the id column when it is not rec_id" };
        var encode = new Command("encode", "Encode persons as Bloom-filter encodings (CLKs) for privacy-preserving linkage with `link --encoded`")
        {
            input, keyFile, output, idColumn,
        };
        encode.SetAction(parse => Run(() => EncodeFile(parse.GetValue(input)!, parse.GetValue(keyFile)!, parse.GetValue(output)!, parse.GetValue(idColumn))));
        return encode;
    }

    /// <summary>Below this many candidate pairs a model fitted by EM is shaky, and the run says so.</summary>
    private const long FewCandidatePairs = 500;

    private sealed record LinkRequest(string Left, string Right, string Out, bool OneToOne, string? Model, string? SaveModel, string? IdColumn, double? Threshold, bool Encoded);

    private static int LinkPlain(LinkRequest request)
    {
        var threshold = CheckThreshold(request.Threshold ?? DefaultThreshold);
        var loaded = request.Model is null ? null : LoadModel(request.Model);
        var clock = Stopwatch.StartNew();
        using var left = InputFile.Open(request.Left, "LEFT");
        using var right = InputFile.Open(request.Right, "RIGHT");
        using var output = OutputFile.Create(request.Out, "--out", left, right);
        using var saved = request.SaveModel is null ? null : OutputFile.Create(request.SaveModel, "--save-model", left, right);
        var progress = new ProgressReporter();
        var options = new CsvReadOptions { IdColumn = request.IdColumn };
        var result = Linker.Link(
            left.Guard(PersonCsv.Read(left.Reader, options with { Warning = left.Warn })),
            right.Guard(PersonCsv.Read(right.Reader, options with { Warning = right.Warn })),
            new LinkOptions
            {
                OneToOne = request.OneToOne,
                Model = loaded,
                Threshold = threshold,
                Progress = p => progress.Report(p.Stage, p.Done, p.Stage switch
                {
                    "reading right" => right,
                    "scoring" => left,
                    _ => null,
                }),
            });
        progress.Finish();

        PersonCsv.WritePairs(output.Writer, result.Pairs);
        output.Commit();
        if (saved is not null)
        {
            result.Model.Save(saved.Writer);
            saved.Commit();
        }

        var possible = Math.Min(result.LeftCount, result.RightCount);
        var expected = result.Model.MatchPrior * result.CandidatePairs;
        if (loaded is null && possible > 0 && expected > 2 * possible)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"threshold: warning: the model fitted on these files takes about {expected:N0} candidate pairs for matches, more than the {possible:N0} records on the smaller side can make: " +
                $"EM has probably learnt namesakes or households rather than persons (this happens when few people are in both files). Fit a model on files that overlap more (--save-model) and link with --model."));
        }

        if (loaded is null && result.CandidatePairs < FewCandidatePairs)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"threshold: note: the model was fitted on only {result.CandidatePairs:N0} candidate pairs; for small files, a model saved from a larger run (--save-model, then --model) scores more reliably."));
        }

        var warnings = left.Warnings + right.Warnings;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Linked {result.LeftCount:N0} LEFT with {result.RightCount:N0} RIGHT records ({result.CandidatePairs:N0} candidate pairs): " +
            $"{result.Pairs.Count:N0} pairs (match probability ≥ {threshold}{(request.OneToOne ? ", one-to-one" : "")}) written to {request.Out}."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Model: {(loaded is null ? "fitted on these data" : "loaded from " + request.Model)} ({result.Model.Provenance}){(saved is null ? "" : "; saved to " + request.SaveModel)}. " +
            $"{Summary(warnings, left, right)}; {clock.Elapsed.TotalSeconds:0.0} s, peak memory {PeakMemoryMiB()} MiB."));
        return ExitCodes.Ok;
    }

    private static int LinkEncoded(LinkRequest request)
    {
        if (request.Model is not null || request.SaveModel is not null)
        {
            throw new CliInputException("--model and --save-model do not apply to --encoded: encodings are matched on Dice similarity alone.");
        }

        if (request.IdColumn is not null)
        {
            throw new CliInputException("--id-column does not apply to --encoded: encodings files have the columns id,clk.");
        }

        var threshold = CheckThreshold(request.Threshold ?? (request.OneToOne ? DefaultEncodedThreshold : DefaultEncodedThresholdAllPairs));
        var clock = Stopwatch.StartNew();
        using var left = InputFile.Open(request.Left, "LEFT");
        using var right = InputFile.Open(request.Right, "RIGHT");
        using var output = OutputFile.Create(request.Out, "--out", left, right);
        var progress = new ProgressReporter();
        var leftSet = ReadEncodings(left, progress);
        var rightSet = ReadEncodings(right, progress);
        progress.Report("comparing", (long)leftSet.Count * rightSet.Count, null);
        var pairs = EncodedLinker.Link(leftSet, rightSet, threshold, request.OneToOne);
        progress.Finish();

        PersonCsv.WritePairs(output.Writer, pairs.Select(p => new LinkedPair(p.LeftId, p.RightId, p.Dice, double.NaN)));
        output.Commit();
        var warnings = left.Warnings + right.Warnings;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Linked {leftSet.Count:N0} LEFT with {rightSet.Count:N0} RIGHT encodings ({(long)leftSet.Count * rightSet.Count:N0} pairs compared): " +
            $"{pairs.Count:N0} pairs (Dice ≥ {threshold}{(request.OneToOne ? ", one-to-one" : "")}) written to {request.Out}; its match_probability column holds the Dice coefficient."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Summary(warnings, left, right)}; {clock.Elapsed.TotalSeconds:0.0} s, peak memory {PeakMemoryMiB()} MiB."));
        return ExitCodes.Ok;
    }

    private static List<ClkEncoding> ReadEncodings(InputFile file, ProgressReporter progress)
    {
        var encodings = new List<ClkEncoding>();
        foreach (var encoding in file.Guard(ClkCsv.Read(file.Reader, file.Warn)))
        {
            encodings.Add(encoding);
            if (encodings.Count % 100_000 == 0)
            {
                progress.Report("reading " + file.Role, encodings.Count, file);
            }
        }

        return encodings;
    }

    private static int EncodeFile(string inputPath, string keyPath, string outputPath, string? idColumn)
    {
        var secret = ReadKey(keyPath);
        var clock = Stopwatch.StartNew();
        using var input = InputFile.Open(inputPath, "IN");
        using var output = OutputFile.Create(outputPath, "--out", input);
        var encoder = new ClkEncoder(secret);
        var progress = new ProgressReporter();
        long count = 0;
        var records = input.Guard(PersonCsv.Read(input.Reader, new CsvReadOptions { IdColumn = idColumn, Warning = input.Warn }));
        ClkCsv.Write(output.Writer, records.Select(record =>
        {
            if (++count % 10_000 == 0)
            {
                progress.Report("encoding", count, input);
            }

            return encoder.Encode(record);
        }));
        progress.Finish();
        output.Commit();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Encoded {count:N0} records from {inputPath} into {outputPath} (1024-bit CLKs, id,clk). {Summary(input.Warnings, input)}; {clock.Elapsed.TotalSeconds:0.0} s."));
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The key file's secret: the file's bytes with leading and trailing ASCII spaces, tabs and line
    /// breaks removed, so a key typed or pasted into a text file reads the same everywhere.
    /// </summary>
    private static byte[] ReadKey(string path)
    {
        if (Directory.Exists(path))
        {
            throw new CliInputException($"the key file '{path}' is a folder.");
        }

        if (!File.Exists(path))
        {
            throw new CliInputException($"the key file '{path}' does not exist. Make one with: openssl rand -base64 32 > {path} (and share it only with the agency you link with).");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"cannot read the key file '{path}': {e.Message}");
        }

        static bool Blank(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
        var start = 0;
        var end = bytes.Length;
        while (start < end && Blank(bytes[start]))
        {
            start++;
        }

        while (end > start && Blank(bytes[end - 1]))
        {
            end--;
        }

        if (end - start < MinimumKeyBytes)
        {
            throw new CliInputException(end == start
                ? $"the key file '{path}' is empty. Put a secret of at least {MinimumKeyBytes} bytes in it, e.g. openssl rand -base64 32 > {path}"
                : $"the key in '{path}' is {end - start} bytes; at least {MinimumKeyBytes} are needed (e.g. openssl rand -base64 32 > {path}).");
        }

        return bytes[start..end];
    }

    private static MatchModel LoadModel(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliInputException($"the model file '{path}' does not exist.");
        }

        try
        {
            using var reader = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: false));
            return MatchModel.Load(reader);
        }
        catch (InvalidDataException e)
        {
            throw new CliInputException($"the model file '{path}' cannot be used: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"cannot read the model file '{path}': {e.Message}");
        }
    }

    private static double CheckThreshold(double threshold) =>
        threshold is > 0 and <= 1 ? threshold : throw new CliInputException($"--threshold must be above 0 and at most 1; {threshold.ToString(CultureInfo.InvariantCulture)} is not.");

    private static string Summary(long warnings, params InputFile[] files) =>
        warnings == 0
            ? "0 warnings"
            : string.Create(CultureInfo.InvariantCulture, $"{warnings:N0} warning{(warnings == 1 ? "" : "s")} ({string.Join(", ", files.Where(f => f.Warnings > 0).Select(f => $"{f.Warnings:N0} in {f.Role}"))}; rows with problems are listed on stderr)");

    private static long PeakMemoryMiB()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / (1024 * 1024);
    }

    /// <summary>Runs a command body, turning every failure into one plain line on stderr and exit code 2.</summary>
    private static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (CliInputException e)
        {
            return Fail(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(e.Message);
        }
        catch (OutOfMemoryException)
        {
            return Fail("out of memory: the RIGHT file is held in memory; link a smaller RIGHT against a larger LEFT.");
        }
        catch (Exception e)
        {
            // The contract is a plain line and exit code 2, never a stack trace.
            return Fail($"unexpected {e.GetType().Name}: {e.Message}");
        }
    }

    private static int Fail(string message)
    {
        Console.Out.Flush();
        Console.Error.WriteLine("threshold: " + message.ReplaceLineEndings(" "));
        return ExitCodes.CannotRun;
    }

    /// <summary>A problem with the command's input that stops it: reported as one line, exit code 2.</summary>
    private sealed class CliInputException(string message) : Exception(message);

    /// <summary>An input CSV, read as UTF-8 (bytes that are not are replaced and reported), with its warnings.</summary>
    private sealed class InputFile : IDisposable
    {
        private const int WarningsShown = 20;
        private readonly FileStream _stream;

        private InputFile(string path, string role, FileStream stream)
        {
            Path = path;
            Role = role;
            _stream = stream;
            Reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        }

        public string Path { get; }
        public string Role { get; }
        public StreamReader Reader { get; }
        public long Warnings { get; private set; }
        public string FullPath => System.IO.Path.GetFullPath(Path);

        /// <summary>How far through the file reading has got, 0 to 1; null when the size is unknown.</summary>
        public double? Fraction => _stream.CanSeek && _stream.Length > 0 ? Math.Min(1, _stream.Position / (double)_stream.Length) : null;

        public static InputFile Open(string path, string role)
        {
            if (Directory.Exists(path))
            {
                throw new CliInputException($"{role} '{path}' is a folder, not a CSV file.");
            }

            if (!File.Exists(path))
            {
                throw new CliInputException($"{role} file '{path}' does not exist.");
            }

            try
            {
                return new InputFile(path, role, new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliInputException($"cannot read {role} '{path}': {e.Message}");
            }
        }

        public void Warn(CsvWarning warning)
        {
            Warnings++;
            if (Warnings <= WarningsShown)
            {
                Console.Error.WriteLine($"threshold: warning: {Role} {Path} {warning}");
            }
            else if (Warnings == WarningsShown + 1)
            {
                Console.Error.WriteLine($"threshold: warning: {Role} {Path}: further warnings are counted in the summary, not listed");
            }
        }

        /// <summary>Passes records through, naming this file in any format error.</summary>
        public IEnumerable<T> Guard<T>(IEnumerable<T> records)
        {
            using var e = records.GetEnumerator();
            while (true)
            {
                bool more;
                try
                {
                    more = e.MoveNext();
                }
                catch (CsvFormatException x)
                {
                    throw new CliInputException($"{Role} '{Path}' cannot be read: {x.Message}");
                }

                if (!more)
                {
                    yield break;
                }

                yield return e.Current;
            }
        }

        public void Dispose() => Reader.Dispose();
    }

    /// <summary>
    /// An output written beside its destination under a temporary name and moved into place only when
    /// complete, so a failed run leaves no half-written file. Created before the work starts, so an
    /// unwritable destination is reported at once.
    /// </summary>
    private sealed class OutputFile : IDisposable
    {
        private readonly string _path;
        private readonly string _temporary;
        private bool _committed;

        private OutputFile(string path, string temporary, StreamWriter writer)
        {
            _path = path;
            _temporary = temporary;
            Writer = writer;
        }

        public StreamWriter Writer { get; }

        public static OutputFile Create(string path, string option, params InputFile[] inputs)
        {
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                throw new CliInputException($"{option} '{path}' is a folder; give a file name.");
            }

            if (inputs.Any(i => string.Equals(i.FullPath, full, StringComparison.Ordinal)))
            {
                throw new CliInputException($"{option} '{path}' is also an input; give another file name.");
            }

            var folder = Path.GetDirectoryName(full)!;
            if (!Directory.Exists(folder))
            {
                throw new CliInputException($"the folder for {option} '{path}' does not exist.");
            }

            var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
            try
            {
                var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                return new OutputFile(full, temporary, new StreamWriter(stream, new UTF8Encoding(false)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliInputException($"cannot write {option} '{path}': {e.Message}");
            }
        }

        public void Commit()
        {
            Writer.Flush();
            Writer.Dispose();
            File.Move(_temporary, _path, overwrite: true);
            _committed = true;
        }

        public void Dispose()
        {
            if (_committed)
            {
                return;
            }

            Writer.Dispose();
            try
            {
                File.Delete(_temporary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>
    /// Progress on stderr for long runs: on a terminal one line rewritten in place with the percentage
    /// of the file read; otherwise (a log, a pipe) a plain line every 100,000 records, and only once
    /// the run has lasted a few seconds, so short runs print nothing.
    /// </summary>
    private sealed class ProgressReporter
    {
        private const long LineEvery = 100_000;
        private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);
        private readonly bool _terminal = !Console.IsErrorRedirected;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _lastDrawn = TimeSpan.MinValue;
        private string? _stage;
        private bool _drawn;

        public void Report(string stage, long done, InputFile? file)
        {
            var now = _clock.Elapsed;
            var changed = stage != _stage;
            _stage = stage;
            if (now < Quiet)
            {
                return;
            }

            var percent = file?.Fraction is { } f ? string.Create(CultureInfo.InvariantCulture, $" {f * 100:0}% of {file.Role}") : "";
            var text = string.Create(CultureInfo.InvariantCulture, $"threshold: {stage}{percent} ({done:N0}), {now.TotalSeconds:0} s");
            if (_terminal)
            {
                if (changed || now - _lastDrawn > TimeSpan.FromMilliseconds(250))
                {
                    Console.Error.Write("\r" + text.PadRight(78));
                    _lastDrawn = now;
                    _drawn = true;
                }
            }
            else if (changed || done % LineEvery == 0)
            {
                Console.Error.WriteLine(text);
            }
        }

        public void Finish()
        {
            if (_terminal && _drawn)
            {
                Console.Error.WriteLine();
            }
        }
    }
}
