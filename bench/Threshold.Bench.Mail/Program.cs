using System.Diagnostics;
using System.Globalization;
using System.Text;
using MimeKit;
using Threshold.Cli;
using Threshold.Harassment.Intake;
using Threshold.Mail.Import;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Storage.Blobs;
using Threshold.Storage.Harassment;

// Mail import benchmark (issue 4): a generated mbox of realistic messages (1–20 KB: Received chains,
// plain and HTML bodies, some attachments, some forwards), parsed bare by MimeKit and then imported
// end to end into the SQLite ledger (blobs, triage, grouping, events, read model), in the same run.
// Usage: dotnet run -c Release --project bench/Threshold.Bench.Mail -- [messages=100000] [work folder] [--stages] [--keep]
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var work = args.Skip(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? Path.Combine(Path.GetTempPath(), "threshold-bench-mail");
Directory.CreateDirectory(work);
var mbox = Path.Combine(work, $"generated-{count}.mbox");
if (!File.Exists(mbox))
{
    var sw = Stopwatch.StartNew();
    MboxGenerator.Write(mbox, count, seed: 7);
    Console.Error.WriteLine($"generated {count:N0} messages, {new FileInfo(mbox).Length / 1e6:N0} MB in {sw.Elapsed.TotalSeconds:N1} s");
}
var megabytes = new FileInfo(mbox).Length / 1e6;
if (args.FirstOrDefault(a => a.StartsWith("--stages", StringComparison.Ordinal)) is { } stages)
{
    // --stages or --stages=N: where the time goes on the first N messages (2,000 unless told).
    await Stages.RunAsync(mbox, work, stages.Contains('=') ? int.Parse(stages[(stages.IndexOf('=') + 1)..], CultureInfo.InvariantCulture) : 2000);
    return;
}
if (args.Contains("--triage")) { TriageBench.Run(mbox); return; }

// 1. MimeKit's bare parse of the same file: the baseline.
var peak = new PeakMemory();
var bare = Stopwatch.StartNew();
var parsed = 0;
using (var stream = File.OpenRead(mbox))
{
    var parser = new MimeParser(stream, MimeFormat.Mbox, persistent: true);
    while (!parser.IsEndOfStream)
    {
        parser.ParseMessage();
        parsed++;
    }
}
bare.Stop();
var barePeak = peak.Stop();

// 2. End to end into a fresh SQLite store.
var data = Path.Combine(work, $"data-{Guid.NewGuid():n}");
await using (var store = await ThresholdStore.OpenAsync(new StoreOptions { DataDirectory = data, Projections = CliContext.Projections() }))
{
    await CliContext.Administration(store).RegisterAgencyAsync("alex-morgan-mp", "Office of Alex Morgan MP", "office", null, "bench");
    var log = new HarassmentLog(store, BlobStore.ForDataDirectory(data), new HarassmentQueries(store), new AdministrationQueries(store), TimeProvider.System);
    GC.Collect();
    peak = new PeakMemory();
    var writtenBefore = DiskWrites();
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var allocatedBefore = GC.GetTotalAllocatedBytes();
    var pauseBefore = GC.GetTotalPauseDuration();
    var gen2Before = GC.CollectionCount(2);
    using var gcLog = args.Contains("--gc") ? new GcLog() : null;
    var full = Stopwatch.StartNew();
    await using (var intake = await log.OpenIntakeAsync("alex-morgan-mp", "bench"))
    {
        // Each message loaded on its own (not persistent) so it can be stored, read and scored on the other core.
        await intake.AddMessagesAsync(MailSource.Read(mbox, persistent: false));
        await intake.CompleteAsync("bench");
        full.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var written = DiskWrites() - writtenBefore;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        var pause = GC.GetTotalPauseDuration() - pauseBefore;
        var gen2 = GC.CollectionCount(2) - gen2Before;
        var fullPeak = peak.Stop();
        var verify = await store.Ledger.VerifyAsync();
        Console.WriteLine($"| messages | {count:N0} ({megabytes:N0} MB) |");
        Console.WriteLine("| --- | --- |");
        Console.WriteLine($"| MimeKit bare parse | {parsed / bare.Elapsed.TotalSeconds:N0} msg/s, {megabytes / bare.Elapsed.TotalSeconds:N0} MB/s ({bare.Elapsed.TotalSeconds:N2} s), peak working set {barePeak / 1e6:N0} MB |");
        Console.WriteLine($"| import end to end (SQLite) | {intake.Imported / full.Elapsed.TotalSeconds:N0} msg/s, {megabytes / full.Elapsed.TotalSeconds:N1} MB/s ({full.Elapsed.TotalSeconds:N1} s), peak working set {fullPeak / 1e6:N0} MB |");
        Console.WriteLine($"| import CPU time (all threads) | {cpu.TotalMilliseconds * 1000 / count:N0} µs per message over {full.Elapsed.TotalMilliseconds * 1000 / count:N0} µs of wall time ({cpu / full.Elapsed:N2} cores busy); allocated {allocated / 1024.0 / count:N0} KB per message, GC pauses {pause.TotalMilliseconds * 1000 / count:N0} µs per message, {gen2} gen-2 collections |");
        Console.WriteLine($"| bytes sent to disk by the import | {written / 1024.0 / count:N1} KB per message (raw blob, ledger row, read model; the WAL's copy into the database may come later) |");
        Console.WriteLine($"| share of bare parse | {100 * (intake.Imported / full.Elapsed.TotalSeconds) / (parsed / bare.Elapsed.TotalSeconds):N1}% |");
        gcLog?.Print(count);
        var t = intake.Timings;
        Console.WriteLine($"| where the wall time went | ledger writer busy {t.WriterBusy / full.Elapsed:P0}; intake waiting for the writer {t.WaitedForWriter / full.Elapsed:P0}, for its readers {t.WaitedForReaders / full.Elapsed:P0} |");
        Console.WriteLine($"| imported / duplicates / rejected | {intake.Imported:N0} / {intake.Duplicates:N0} / {intake.Rejected:N0}; ledger {verify.EventCount:N0} events, intact {verify.Intact} |");
    }
}
if (!args.Contains("--keep"))
{
    Directory.Delete(data, recursive: true);
}

// Bytes this process has caused to be written to storage so far (Linux /proc/self/io), or 0 where unknown.
static long DiskWrites() =>
    File.Exists("/proc/self/io")
        ? File.ReadLines("/proc/self/io").Where(l => l.StartsWith("write_bytes:", StringComparison.Ordinal))
            .Select(l => long.Parse(l["write_bytes:".Length..].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault()
        : 0;

/// <summary>Samples the process's working set every 50 ms: the peak over a phase.</summary>
internal sealed class PeakMemory
{
    private readonly Timer _timer;
    private long _peak;

    public PeakMemory()
    {
        _timer = new Timer(_ => Sample(), null, 0, 50);
    }

    private void Sample()
    {
        // Environment.WorkingSet reads one file; a Process object also reads every thread's stat file,
        // which every 50 ms took a few per cent of a core from the import being measured.
        var ws = Environment.WorkingSet;
        if (ws > Interlocked.Read(ref _peak))
        {
            Interlocked.Exchange(ref _peak, ws);
        }
    }

    public long Stop()
    {
        _timer.Dispose();
        Sample();
        return _peak;
    }
}

/// <summary>Realistic constituency mail, deterministic: many senders writing several times, abuse among casework.</summary>
internal static class MboxGenerator
{
    private static readonly string[] Given = ["Gary", "Lyn", "Sam", "Priya", "Tom", "Aisha", "Rory", "Maureen", "Dale", "Kit", "Nell", "Ivo", "Orla", "Pim", "Uma", "Ray", "Wren", "Ada", "Jon", "Beth"];
    private static readonly string[] Family = ["Pike", "Bardsley", "Oduya", "Tallis", "Crowther", "Halloway", "Marlow", "Arden", "Renn", "Quayle", "Fenwick", "Ashdown", "Pellow", "Tregear", "Moyle"];
    private static readonly string[] Sentences =
    [
        "I am writing about the closure of the library on Mill Road.",
        "My mother has waited eleven weeks for her operation and nobody can tell us when she will be seen.",
        "The potholes on Quay Lane are getting worse every week.",
        "You are a useless liar and everyone in this town knows it.",
        "I know where you live and I have been watching your office.",
        "Please could your office chase the council about my housing repair.",
        "Thank you for coming to the residents' meeting last week.",
        "Your vote on the ferry contract was a betrayal of the harbour workers.",
        "The bus route 14 cuts mean my daughter cannot get to college.",
        "Stupid woman, go back to the kitchen where you belong.",
        "I will keep writing until you answer me properly.",
        "The children's centre should stay open; families rely on it.",
        "I strongly disagree with your position on the housing bill, and I hope you reconsider.",
        "Your kids walk to school on their own, don't they.",
    ];

    public static void Write(string path, int count, int seed)
    {
        var random = new Random(seed);
        var senders = Enumerable.Range(0, Math.Max(50, count / 20)).Select(i =>
        {
            var g = Given[random.Next(Given.Length)];
            var f = Family[random.Next(Family.Length)];
            return (Name: $"{g} {f}", Address: $"{g.ToLowerInvariant()}.{f.ToLowerInvariant()}{i}@example.net");
        }).ToArray();
        using var file = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        var start = new DateTimeOffset(2025, 1, 6, 8, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            var (name, address) = senders[random.Next(senders.Length)];
            var date = start.AddMinutes(i * 7 + random.Next(5));
            var body = new StringBuilder();
            var target = random.Next(800, 18_000);
            while (body.Length < target)
            {
                body.Append(Sentences[random.Next(Sentences.Length)]).Append(random.Next(6) == 0 ? "\n\n" : " ");
            }
            var text = body.ToString().Replace("\nFrom ", "\n>From ", StringComparison.Ordinal);
            file.WriteLine($"From {address} {date:ddd MMM dd HH:mm:ss yyyy}");
            file.WriteLine($"Return-Path: <{address}>");
            file.WriteLine($"Received: from mail.example.net (mail.example.net [192.0.2.{random.Next(1, 254)}]) by mx.alex-morgan-mp.example with ESMTPS id {random.NextInt64():x}; {date.AddSeconds(3):ddd, dd MMM yyyy HH:mm:ss} +0000");
            file.WriteLine($"Received: from [198.51.100.{random.Next(1, 254)}] by mail.example.net with ESMTPSA; {date:ddd, dd MMM yyyy HH:mm:ss} +0000");
            file.WriteLine($"From: {name} <{address}>");
            file.WriteLine("To: Alex Morgan MP <office@alex-morgan-mp.example>");
            file.WriteLine($"Subject: {(random.Next(3) == 0 ? "Re: " : "")}{Sentences[random.Next(Sentences.Length)][..24]}");
            file.WriteLine($"Date: {date:ddd, dd MMM yyyy HH:mm:ss} +0000");
            file.WriteLine($"Message-ID: <{i}.{random.NextInt64():x}@example.net>");
            file.WriteLine("MIME-Version: 1.0");
            var kind = random.Next(10);
            if (kind < 6)
            {
                file.WriteLine("Content-Type: text/plain; charset=utf-8");
                file.WriteLine("Content-Transfer-Encoding: 8bit");
                file.WriteLine();
                file.WriteLine(text);
            }
            else
            {
                const string boundary = "=_threshold_bench_boundary";
                file.WriteLine($"Content-Type: multipart/{(kind < 9 ? "alternative" : "mixed")}; boundary=\"{boundary}\"");
                file.WriteLine();
                file.WriteLine($"--{boundary}");
                file.WriteLine("Content-Type: text/plain; charset=utf-8");
                file.WriteLine();
                file.WriteLine(text);
                file.WriteLine($"--{boundary}");
                if (kind < 9)
                {
                    file.WriteLine("Content-Type: text/html; charset=utf-8");
                    file.WriteLine();
                    file.WriteLine($"<html><body><p>{System.Net.WebUtility.HtmlEncode(text[..Math.Min(text.Length, 2000)])}</p><img src=\"https://tracker.example/p.gif?id={i}\"></body></html>");
                }
                else
                {
                    file.WriteLine("Content-Type: application/pdf; name=\"letter.pdf\"");
                    file.WriteLine("Content-Transfer-Encoding: base64");
                    file.WriteLine("Content-Disposition: attachment; filename=\"letter.pdf\"");
                    file.WriteLine();
                    var bytes = new byte[random.Next(500, 3000)];
                    random.NextBytes(bytes);
                    var b64 = Convert.ToBase64String(bytes);
                    for (var k = 0; k < b64.Length; k += 76)
                    {
                        file.WriteLine(b64.Substring(k, Math.Min(76, b64.Length - k)));
                    }
                }
                file.WriteLine($"--{boundary}--");
            }
            file.WriteLine();
        }
    }
}

/// <summary>
/// With --gc: listens to the runtime's own GC events in-process, counting collections by generation
/// and reason, and sampling allocations (one event per ~100 KB) by type — where the garbage comes from.
/// </summary>
internal sealed class GcLog : System.Diagnostics.Tracing.EventListener
{
    private readonly Dictionary<string, long> _allocated = [];
    private readonly Dictionary<string, int> _collections = [];

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        lock (_allocated)
        {
            if (e.EventName is "GCAllocationTick_V4" or "GCAllocationTick_V3" && e.Payload is { } p)
            {
                var type = (string)p[e.PayloadNames!.IndexOf("TypeName")]!;
                var kind = Convert.ToInt32(p[e.PayloadNames.IndexOf("AllocationKind")], CultureInfo.InvariantCulture) == 1 ? " (large)" : "";
                var amount = Convert.ToInt64(p[e.PayloadNames.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
                _allocated[type + kind] = _allocated.GetValueOrDefault(type + kind) + amount;
            }
            else if (e.EventName is "GCStart_V2" && e.Payload is { } g)
            {
                var key = $"gen {g[e.PayloadNames!.IndexOf("Depth")]} reason {g[e.PayloadNames.IndexOf("Reason")]} type {g[e.PayloadNames.IndexOf("Type")]}";
                _collections[key] = _collections.GetValueOrDefault(key) + 1;
            }
        }
    }

    public void Print(int messages)
    {
        lock (_allocated)
        {
            foreach (var (k, v) in _collections.OrderByDescending(x => x.Value))
            {
                Console.WriteLine($"collections: {v,6} {k}");
            }
            foreach (var (k, v) in _allocated.OrderByDescending(x => x.Value).Take(25))
            {
                Console.WriteLine($"allocated: {v / 1024.0 / messages,8:N1} KB/message {k}");
            }
        }
    }
}
