using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Threshold.Storage;
using Threshold.Storage.Ledger;

namespace Threshold.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Threshold.Bench -- ledger [--events N] [--postgres CONNSTRING]</c>
/// <para>Measures, in one process and one run, the ledger against its baselines on SQLite (a temporary
/// folder) and, when given a connection string, on PostgreSQL (a throwaway schema, dropped afterwards):</para>
/// <list type="bullet">
/// <item>append, single writer, 1 event per transaction and 1,000 events per transaction, against a
/// prepared plain INSERT of the same rows into a plain table with the same columns, in the same
/// transaction sizes (no hashing, no checkpoint);</item>
/// <item>verify, against bare <c>SHA256.HashData</c> over the same payload bytes.</item>
/// </list>
/// </summary>
public static class Program
{
    private const int BatchSize = 1_000;
    private const int ChunkEvents = 500;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly string[] Agencies = ["harbourside-police", "riverside-council", "alex-morgan-office"];

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] != "ledger")
        {
            Console.Error.WriteLine("usage: Threshold.Bench ledger [--events N] [--postgres CONNSTRING]");
            return 2;
        }
        var events = 10_000;
        string? postgres = null;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--events" when i + 1 < args.Length:
                    events = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--postgres" when i + 1 < args.Length:
                    postgres = args[++i];
                    break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'");
                    return 2;
            }
        }
        events = Math.Max(BatchSize, events / BatchSize * BatchSize);

        Console.WriteLine($"Threshold ledger benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {events:N0} events per measurement");
        var workload = Workload.Create(events);
        Console.WriteLine($"payloads: JSON, {workload.Payloads.Min(p => p.Length)}–{workload.Payloads.Max(p => p.Length)} bytes, mean {workload.Payloads.Average(p => p.Length):F0}");
        Console.WriteLine();

        var folder = Directory.CreateTempSubdirectory("threshold-bench-").FullName;
        try
        {
            var results = new List<Result>();
            results.AddRange(await RunAsync("SQLite", new StoreOptions { DataDirectory = folder }, workload, dropSchema: null));
            if (postgres is not null)
            {
                var schema = $"bench_{Guid.NewGuid():N}"[..14];
                results.AddRange(await RunAsync("PostgreSQL", new StoreOptions { DataDirectory = folder, Database = postgres, Schema = schema }, workload, schema));
            }
            Print(results);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        return 0;
    }

    private sealed record Result(string Database, string Measure, double Ledger, string BaselineName, double Baseline)
    {
        public double Ratio => Ledger / Baseline;
    }

    private static async Task<List<Result>> RunAsync(string name, StoreOptions options, Workload workload, string? dropSchema)
    {
        await using var store = await ThresholdStore.OpenAsync(options);
        Console.WriteLine($"{name}: {store.Description} — {await ServerVersionAsync(store)}");
        await using (var setup = await store.OpenConnectionAsync())
        {
            await ExecuteAsync(setup, """
                CREATE TABLE bench_raw_events (
                    position BIGINT PRIMARY KEY, agency_id TEXT NOT NULL, sequence BIGINT NOT NULL, stream_id TEXT NOT NULL,
                    stream_version BIGINT NOT NULL, event_type TEXT NOT NULL, payload TEXT NOT NULL, actor TEXT NOT NULL,
                    recorded_at TEXT NOT NULL, prev_hash BYTEA NOT NULL, hash BYTEA NOT NULL)
                """.Replace("BYTEA", store.Kind == StoreKind.Sqlite ? "BLOB" : "BYTEA", StringComparison.Ordinal));
        }

        // Warm every path for a while on rows that are not measured: the JIT's tiers, statement caches and
        // key creation settle before anything is timed.
        var warm = Workload.Create(2 * BatchSize, seed: 7);
        var round = 0;
        for (var watch = Stopwatch.StartNew(); watch.Elapsed < WarmUp; round++)
        {
            await AppendSingleAsync(store, warm, $"warm{round}", 500);
            await AppendBatchedAsync(store, warm, $"warm{round}-batch", BatchSize);
            await RawInsertAsync(store, warm, 100_000_000L + round * 10_000L, 500, 1);
            await RawInsertAsync(store, warm, 100_000_000L + round * 10_000L + 1_000, BatchSize, BatchSize);
            await store.Ledger.VerifyAsync();
        }

        // Ledger and baseline alternate in chunks and each reports its median chunk: on a shared machine,
        // background work then falls on both sides alike instead of on whichever ran at the wrong moment.
        var n = workload.Payloads.Length;
        var single = await AlternateAsync(n / ChunkEvents,
            c => AppendSingleAsync(store, workload.Slice(c * ChunkEvents, ChunkEvents), $"single{c}", ChunkEvents),
            c => RawInsertAsync(store, workload.Slice(c * ChunkEvents, ChunkEvents), 10L * n + c * ChunkEvents, ChunkEvents, 1));
        var batched = await AlternateAsync(n / BatchSize,
            c => AppendBatchedAsync(store, workload.Slice(c * BatchSize, BatchSize), $"batch{c}", BatchSize),
            c => RawInsertAsync(store, workload.Slice(c * BatchSize, BatchSize), 20L * n + c * BatchSize, BatchSize, BatchSize));

        // PostgreSQL only: the ledger sends an append's rows as one batch, the required baseline one row per
        // round trip. A batched plain INSERT shows how much of the difference is the batching alone.
        (double Ledger, double Baseline)? batchedAgainstBatch = null;
        if (store.Kind == StoreKind.Postgres)
        {
            batchedAgainstBatch = await AlternateAsync(n / BatchSize,
                c => AppendBatchedAsync(store, workload.Slice(c * BatchSize, BatchSize), $"batch-b{c}", BatchSize),
                c => RawInsertAsync(store, workload.Slice(c * BatchSize, BatchSize), 30L * n + c * BatchSize, BatchSize, BatchSize, asOneBatch: true));
        }

        VerifyResult verify = null!;
        var verifying = await AlternateAsync(5,
            async _ =>
            {
                var watch = Stopwatch.StartNew();
                verify = await store.Ledger.VerifyAsync();
                var rate = verify.EventCount / watch.Elapsed.TotalSeconds;
                return verify.Intact ? rate : throw new InvalidOperationException($"The benchmark ledger does not verify: {verify.FirstProblem}");
            },
            _ => Task.FromResult(BareHashRate(workload, verify?.EventCount ?? n)));

        if (dropSchema is not null)
        {
            await using var drop = await store.OpenConnectionAsync();
            await ExecuteAsync(drop, $"DROP SCHEMA {dropSchema} CASCADE");
        }
        Console.WriteLine($"  done: {verify.EventCount:N0} events in {verify.ChainCount} chains verified");
        List<Result> results =
        [
            new(name, "append, 1 event/transaction", single.Ledger, "plain INSERT", single.Baseline),
            new(name, $"append, {BatchSize:N0} events/transaction", batched.Ledger, "plain INSERT", batched.Baseline),
        ];
        if (batchedAgainstBatch is { } b)
        {
            results.Add(new(name, $"append, {BatchSize:N0} events/transaction", b.Ledger, "plain INSERT, one batch per transaction", b.Baseline));
        }
        results.Add(new(name, $"verify ({verify.EventCount:N0} events)", verifying.Ledger, "bare SHA-256 of payloads", verifying.Baseline));
        return results;
    }

    /// <summary>Runs ledger and baseline chunks alternately (the baseline first half the time); returns each one's median rate.</summary>
    private static async Task<(double Ledger, double Baseline)> AlternateAsync(int chunks, Func<int, Task<double>> ledger, Func<int, Task<double>> baseline)
    {
        var ledgerRates = new List<double>();
        var baselineRates = new List<double>();
        for (var c = 0; c < chunks; c++)
        {
            if (c % 2 == 0)
            {
                baselineRates.Add(await baseline(c));
                ledgerRates.Add(await ledger(c));
            }
            else
            {
                ledgerRates.Add(await ledger(c));
                baselineRates.Add(await baseline(c));
            }
        }
        return (Median(ledgerRates), Median(baselineRates));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    /// <summary>One event per append, spread over 100 streams of three agencies (so three chains).</summary>
    private static async Task<double> AppendSingleAsync(ThresholdStore store, Workload workload, string prefix, int count)
    {
        const int streams = 100;
        var versions = new long[streams];
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var s = i % streams;
            await store.Ledger.AppendAsync(Agencies[s % Agencies.Length], $"{prefix}-{s}", versions[s]++, [workload.Events[i]], "bench@threshold.test");
        }
        return count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>1,000 events per append, each batch a new stream.</summary>
    private static async Task<double> AppendBatchedAsync(ThresholdStore store, Workload workload, string prefix, int count)
    {
        var watch = Stopwatch.StartNew();
        for (var b = 0; b < count / BatchSize; b++)
        {
            var batch = new ArraySegment<NewEvent>(workload.Events, b * BatchSize, BatchSize);
            await store.Ledger.AppendAsync(Agencies[b % Agencies.Length], $"{prefix}-{b}", ExpectedVersion.NoStream, batch, "bench@threshold.test");
        }
        return count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The baseline: the same rows through one prepared plain INSERT, <paramref name="perTransaction"/> rows per transaction.</summary>
    private static async Task<double> RawInsertAsync(
        ThresholdStore store, Workload workload, long firstPosition, int count, int perTransaction, bool asOneBatch = false)
    {
        if (asOneBatch)
        {
            return await RawBatchInsertAsync(store, workload, firstPosition, count, perTransaction);
        }
        await using var connection = await store.OpenConnectionAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO bench_raw_events (position, agency_id, sequence, stream_id, stream_version, event_type, payload, actor, recorded_at, prev_hash, hash)
            VALUES (@position, @agency, @sequence, @stream, @version, @type, @payload, @actor, @recorded_at, @prev_hash, @hash)
            """;
        foreach (var (p, type) in new[]
        {
            ("@position", DbType.Int64), ("@agency", DbType.String), ("@sequence", DbType.Int64), ("@stream", DbType.String),
            ("@version", DbType.Int64), ("@type", DbType.String), ("@payload", DbType.String), ("@actor", DbType.String),
            ("@recorded_at", DbType.String), ("@prev_hash", DbType.Binary), ("@hash", DbType.Binary),
        })
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = p;
            parameter.DbType = type;
            insert.Parameters.Add(parameter);
        }
        await insert.PrepareAsync();
        var recordedAt = ChainHash.FormatRecordedAt(DateTimeOffset.UtcNow);

        var watch = Stopwatch.StartNew();
        for (var start = 0; start < count; start += perTransaction)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            insert.Transaction = transaction;
            for (var i = start; i < start + perTransaction; i++)
            {
                var e = workload.Events[i];
                var ps = insert.Parameters;
                ps[0].Value = firstPosition + i;
                ps[1].Value = Agencies[i % Agencies.Length];
                ps[2].Value = (long)i;
                ps[3].Value = $"raw-{i % 100}";
                ps[4].Value = (long)i;
                ps[5].Value = e.Type;
                ps[6].Value = e.Payload;
                ps[7].Value = "bench@threshold.test";
                ps[8].Value = recordedAt;
                ps[9].Value = workload.Hashes[i];
                ps[10].Value = workload.Hashes[(i + 1) % workload.Hashes.Length];
                await insert.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }
        return count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The baseline sent as the ledger sends it on PostgreSQL: one batch of prepared INSERTs per transaction.</summary>
    private static async Task<double> RawBatchInsertAsync(ThresholdStore store, Workload workload, long firstPosition, int count, int perTransaction)
    {
        await using var connection = await store.OpenConnectionAsync();
        var recordedAt = ChainHash.FormatRecordedAt(DateTimeOffset.UtcNow);
        var watch = Stopwatch.StartNew();
        for (var start = 0; start < count; start += perTransaction)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            for (var i = start; i < start + perTransaction; i++)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = """
                    INSERT INTO bench_raw_events (position, agency_id, sequence, stream_id, stream_version, event_type, payload, actor, recorded_at, prev_hash, hash)
                    VALUES (@position, @agency, @sequence, @stream, @version, @type, @payload, @actor, @recorded_at, @prev_hash, @hash)
                    """;
                foreach (var (p, type, value) in new (string, DbType, object)[]
                {
                    ("@position", DbType.Int64, firstPosition + i), ("@agency", DbType.String, Agencies[i % Agencies.Length]),
                    ("@sequence", DbType.Int64, (long)i), ("@stream", DbType.String, $"raw-{i % 100}"), ("@version", DbType.Int64, (long)i),
                    ("@type", DbType.String, workload.Events[i].Type), ("@payload", DbType.String, workload.Events[i].Payload),
                    ("@actor", DbType.String, "bench@threshold.test"), ("@recorded_at", DbType.String, recordedAt),
                    ("@prev_hash", DbType.Binary, workload.Hashes[i]), ("@hash", DbType.Binary, workload.Hashes[(i + 1) % workload.Hashes.Length]),
                })
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = p;
                    parameter.DbType = type;
                    parameter.Value = value;
                    command.Parameters.Add(parameter);
                }
                batch.BatchCommands.Add(command);
            }
            await batch.PrepareAsync();
            await batch.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }
        return count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>SHA256.HashData over each payload's UTF-8 bytes, for as many events as verify walked.</summary>
    private static double BareHashRate(Workload workload, long events)
    {
        Span<byte> digest = stackalloc byte[32];
        var watch = Stopwatch.StartNew();
        for (long i = 0; i < events; i++)
        {
            SHA256.HashData(workload.PayloadBytes[i % workload.PayloadBytes.Length], digest);
        }
        return events / watch.Elapsed.TotalSeconds;
    }

    private static void Print(List<Result> results)
    {
        Console.WriteLine();
        Console.WriteLine("| database | measure | ledger (events/s) | baseline | baseline (events/s) | ratio | target |");
        Console.WriteLine("| --- | --- | ---: | --- | ---: | ---: | --- |");
        foreach (var r in results)
        {
            var met = r.Ratio >= 0.5 ? "met" : "MISSED";
            Console.WriteLine($"| {r.Database} | {r.Measure} | {r.Ledger:N0} | {r.BaselineName} | {r.Baseline:N0} | {r.Ratio:P0} | ≥ 50%: {met} |");
        }
    }

    private static async Task<string> ServerVersionAsync(ThresholdStore store)
    {
        await using var connection = await store.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = store.Kind == StoreKind.Sqlite ? "SELECT 'SQLite ' || sqlite_version()" : "SELECT 'PostgreSQL ' || current_setting('server_version')";
        return (string?)await command.ExecuteScalarAsync() ?? "";
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Realistic events: case-work JSON of roughly 300–600 bytes, generated from a fixed seed.</summary>
    private sealed class Workload
    {
        private static readonly string[] Types = ["ContactLogged", "ContactTriaged", "NoteAdded", "ReferralReceived", "TriageDecided", "VictimViewsRecorded"];
        private static readonly string[] Words = ["email", "threat", "campaign", "office", "children", "school", "repeated", "angry", "apology", "visit", "letter", "police", "council", "review", "urgent"];

        private Workload(NewEvent[] events, byte[][] hashes)
        {
            Events = events;
            Payloads = events.Select(e => e.Payload).ToArray();
            PayloadBytes = Payloads.Select(Encoding.UTF8.GetBytes).ToArray();
            Hashes = hashes;
        }

        public NewEvent[] Events { get; }

        public string[] Payloads { get; }

        public byte[][] PayloadBytes { get; }

        public byte[][] Hashes { get; }

        /// <summary>The events from <paramref name="start"/> on, as a workload of their own.</summary>
        public Workload Slice(int start, int count) => new(Events[start..(start + count)], Hashes[start..(start + count)]);

        public static Workload Create(int count, int seed = 2025)
        {
            var random = new Random(seed);
            var events = new NewEvent[count];
            var hashes = new byte[count][];
            for (var i = 0; i < count; i++)
            {
                var summary = string.Join(' ', Enumerable.Range(0, random.Next(8, 40)).Select(_ => Words[random.Next(Words.Length)]));
                var payload = $$"""
                    {"contactId":"c-{{i:D8}}","receivedAt":"2025-0{{1 + (i % 9)}}-1{{i % 10}}T09:{{i % 60:D2}}:00Z","channel":"email","sender":{"displayName":"Correspondent {{i % 97}}","address":"sender{{i % 97}}@example.test"},"subject":"Re: your campaign ({{i}})","summary":"{{summary}}","labels":["abusive","mentions-children"],"rawSha256":"{{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}}"}
                    """;
                events[i] = new NewEvent(Types[i % Types.Length], payload);
                hashes[i] = RandomNumberGenerator.GetBytes(32);
            }
            return new Workload(events, hashes);
        }
    }
}
