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
/// prepared plain INSERT of the same rows into a plain table with the same columns (primary key only),
/// in the same transaction sizes (no hashing, no checkpoint) — the baseline the target is judged
/// against — and against the same INSERT into a table of ledger_events' shape (the same columns and
/// its two unique indexes), which separates what the ledger's own mechanisms cost from the indexes';</item>
/// <item>verify, against bare <c>SHA256.HashData</c> over the same payload bytes (the target's baseline),
/// and over each event's full hash input (context).</item>
/// </list>
/// </summary>
public static class Program
{
    private const int BatchSize = 1_000;
    private const int ChunkEvents = 500;
    private const int VerifyRounds = 9;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly string[] Agencies = ["harbourside-police", "riverside-council", "alex-morgan-office"];

    /// <summary>"append" or "verify" to measure only that (a quicker loop while tuning); null for everything.</summary>
    private static string? s_only;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] != "ledger")
        {
            Console.Error.WriteLine("usage: Threshold.Bench ledger [--events N] [--postgres CONNSTRING] [--only append|verify] [--no-sqlite]");
            return 2;
        }
        var events = 10_000;
        string? postgres = null;
        var sqlite = true;
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
                case "--only" when i + 1 < args.Length && args[i + 1] is "append" or "verify":
                    s_only = args[++i];
                    break;
                case "--no-sqlite":
                    sqlite = false;
                    break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'");
                    return 2;
            }
        }
        events = Math.Max(BatchSize, events / BatchSize * BatchSize);

        Console.WriteLine($"Threshold ledger benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {events:N0} events per measurement");
        Console.WriteLine($"load average at start: {LoadAverage()}");
        var workload = Workload.Create(events);
        Console.WriteLine($"payloads: JSON, {workload.Payloads.Min(p => p.Length)}–{workload.Payloads.Max(p => p.Length)} bytes, mean {workload.Payloads.Average(p => p.Length):F0}");
        Console.WriteLine();

        var folder = Directory.CreateTempSubdirectory("threshold-bench-").FullName;
        try
        {
            var results = new List<Result>();
            if (sqlite)
            {
                results.AddRange(await RunAsync("SQLite", new StoreOptions { DataDirectory = folder }, workload, dropSchema: null));
            }
            if (postgres is not null)
            {
                var schema = $"bench_{Guid.NewGuid():N}"[..14];
                results.AddRange(await RunAsync("PostgreSQL", new StoreOptions { DataDirectory = folder, Database = postgres, Schema = schema }, workload, schema));
            }
            Print(results);
            Console.WriteLine();
            Console.WriteLine($"load average at end: {LoadAverage()} (finished {DateTime.UtcNow:HH:mm} UTC)");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        return 0;
    }

    /// <summary>One measure: the ledger's rate and its baselines' rates (the first is the one the target is judged against).</summary>
    private sealed record Result(string Database, string Measure, double Ledger, IReadOnlyList<(string Name, double Rate)> Baselines);

    private const string PlainTable = "bench_raw_events";
    private const string IndexedTable = "bench_indexed_events";

    private static async Task<List<Result>> RunAsync(string name, StoreOptions options, Workload workload, string? dropSchema)
    {
        await using var store = await ThresholdStore.OpenAsync(options);
        Console.WriteLine($"{name}: {store.Description} — {await ServerVersionAsync(store)}");
        await using (var setup = await store.OpenConnectionAsync())
        {
            // The plain baseline's table: the same columns, primary key only.
            // The same-shape baseline's table: ledger_events' columns and its two unique indexes, no triggers.
            foreach (var (table, indexes) in new[]
            {
                (PlainTable, ""),
                (IndexedTable, ", UNIQUE (agency_id, sequence), UNIQUE (stream_id, stream_version)"),
            })
            {
                await ExecuteAsync(setup, $"""
                    CREATE TABLE {table} (
                        position BIGINT PRIMARY KEY, agency_id TEXT NOT NULL, sequence BIGINT NOT NULL, stream_id TEXT NOT NULL,
                        stream_version BIGINT NOT NULL, event_type TEXT NOT NULL, payload TEXT NOT NULL, actor TEXT NOT NULL,
                        recorded_at TEXT NOT NULL, prev_hash BYTEA NOT NULL, hash BYTEA NOT NULL{indexes})
                    """.Replace("BYTEA", store.Kind == StoreKind.Sqlite ? "BLOB" : "BYTEA", StringComparison.Ordinal));
            }
        }
        var postgres = store.Kind == StoreKind.Postgres;

        // Warm every path for a while on rows that are not measured: the JIT's tiers, statement caches and
        // key creation settle before anything is timed.
        var warm = Workload.Create(2 * BatchSize, seed: 7);
        var round = 0;
        for (var watch = Stopwatch.StartNew(); watch.Elapsed < WarmUp; round++)
        {
            var at = 100_000_000L + round * 10_000L;
            if (s_only != "verify")
            {
                await AppendSingleAsync(store, warm, $"warm{round}", 500);
                await RawInsertAsync(store, PlainTable, warm, at, 500, 1);
                await RawInsertAsync(store, IndexedTable, warm, at, 500, 1);
            }
            await AppendBatchedAsync(store, warm, $"warm{round}-batch", BatchSize);
            await RawInsertAsync(store, PlainTable, warm, at + 1_000, BatchSize, BatchSize);
            await RawInsertAsync(store, IndexedTable, warm, at + 1_000, BatchSize, BatchSize, asOneBatch: postgres);
            await store.Ledger.VerifyAsync();
        }

        // Ledger and baselines take turns in chunks and each reports its median chunk: on a shared machine,
        // background work then falls on every side alike instead of on whichever ran at the wrong moment.
        var n = workload.Payloads.Length;
        var results = new List<Result>();
        if (s_only != "verify")
        {
            var single = await AlternateAsync(n / ChunkEvents,
                c => AppendSingleAsync(store, workload.Slice(c * ChunkEvents, ChunkEvents), $"single{c}", ChunkEvents),
                c => RawInsertAsync(store, PlainTable, workload.Slice(c * ChunkEvents, ChunkEvents), 10L * n + c * ChunkEvents, ChunkEvents, 1),
                c => RawInsertAsync(store, IndexedTable, workload.Slice(c * ChunkEvents, ChunkEvents), 10L * n + c * ChunkEvents, ChunkEvents, 1));
            results.Add(new(name, "append, 1 event/transaction", single[0],
                [("plain INSERT", single[1]), ("INSERT into ledger_events' shape (two unique indexes)", single[2])]));

            // On PostgreSQL the ledger sends an append's rows as one batch, the required plain baseline one row per
            // round trip; the same-shape baseline is sent as the ledger sends it (one batch per transaction), and a
            // plain batched INSERT shows what the batching alone is worth.
            var batched = await AlternateAsync(n / BatchSize,
                c => AppendBatchedAsync(store, workload.Slice(c * BatchSize, BatchSize), $"batch{c}", BatchSize),
                c => RawInsertAsync(store, PlainTable, workload.Slice(c * BatchSize, BatchSize), 20L * n + c * BatchSize, BatchSize, BatchSize),
                c => RawInsertAsync(store, IndexedTable, workload.Slice(c * BatchSize, BatchSize), 20L * n + c * BatchSize, BatchSize, BatchSize, asOneBatch: postgres));
            List<(string, double)> baselines = [("plain INSERT", batched[1]),
                (postgres ? "INSERT into ledger_events' shape, one batch per transaction" : "INSERT into ledger_events' shape (two unique indexes)", batched[2])];
            if (postgres)
            {
                var oneBatch = await AlternateAsync(n / BatchSize,
                    c => RawInsertAsync(store, PlainTable, workload.Slice(c * BatchSize, BatchSize), 30L * n + c * BatchSize, BatchSize, BatchSize, asOneBatch: true));
                baselines.Add(("plain INSERT, one batch per transaction", oneBatch[0]));
            }
            results.Add(new(name, $"append, {BatchSize:N0} events/transaction", batched[0], baselines));
        }

        if (s_only != "append")
        {
            if (s_only == "verify")
            {
                // Nothing measured was appended: give verify the rows the append measures would have written.
                for (var c = 0; c < n / BatchSize; c++)
                {
                    await AppendBatchedAsync(store, workload.Slice(c * BatchSize, BatchSize), $"seed{c}", BatchSize);
                }
            }
            VerifyResult verify = null!;
            var verifying = await AlternateAsync(VerifyRounds,
                async _ =>
                {
                    var watch = Stopwatch.StartNew();
                    verify = await store.Ledger.VerifyAsync();
                    var rate = verify.EventCount / watch.Elapsed.TotalSeconds;
                    return verify.Intact ? rate : throw new InvalidOperationException($"The benchmark ledger does not verify: {verify.FirstProblem}");
                },
                _ => Task.FromResult(BareHashRate(workload.PayloadBytes, verify?.EventCount ?? n)),
                _ => Task.FromResult(BareHashRate(workload.HashInputs, verify?.EventCount ?? n)));
            Console.WriteLine($"  verified: {verify.EventCount:N0} events in {verify.ChainCount} chains");
            results.Add(new(name, $"verify ({verify.EventCount:N0} events)", verifying[0],
                [("bare SHA-256 of payloads", verifying[1]), ("bare SHA-256 of each event's full hash input", verifying[2])]));
        }

        if (dropSchema is not null)
        {
            await using var drop = await store.OpenConnectionAsync();
            await ExecuteAsync(drop, $"DROP SCHEMA {dropSchema} CASCADE");
        }
        return results;
    }

    /// <summary>Runs the sides' chunks in turn (the starting side rotating from chunk to chunk); returns each side's median rate.</summary>
    private static async Task<double[]> AlternateAsync(int chunks, params Func<int, Task<double>>[] sides)
    {
        var rates = sides.Select(_ => new List<double>()).ToArray();
        for (var c = 0; c < chunks; c++)
        {
            for (var k = 0; k < sides.Length; k++)
            {
                var side = (c + k) % sides.Length;
                rates[side].Add(await sides[side](c));
            }
        }
        return [.. rates.Select(Median)];
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

    /// <summary>
    /// A baseline: the same rows through one prepared INSERT into <paramref name="table"/>, <paramref name="perTransaction"/>
    /// rows per transaction. Rows are numbered from <paramref name="firstPosition"/> so that they never clash with the
    /// same-shape table's unique indexes: each of three agencies' sequences and each of 100 streams' versions rises,
    /// as in the ledger.
    /// </summary>
    private static async Task<double> RawInsertAsync(
        ThresholdStore store, string table, Workload workload, long firstPosition, int count, int perTransaction, bool asOneBatch = false)
    {
        if (asOneBatch)
        {
            return await RawBatchInsertAsync(store, table, workload, firstPosition, count, perTransaction);
        }
        await using var connection = await store.OpenConnectionAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"""
            INSERT INTO {table} (position, agency_id, sequence, stream_id, stream_version, event_type, payload, actor, recorded_at, prev_hash, hash)
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
                ps[2].Value = firstPosition + i;
                ps[3].Value = $"raw-{i % 100}";
                ps[4].Value = firstPosition + i;
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
    private static async Task<double> RawBatchInsertAsync(ThresholdStore store, string table, Workload workload, long firstPosition, int count, int perTransaction)
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
                command.CommandText = $"""
                    INSERT INTO {table} (position, agency_id, sequence, stream_id, stream_version, event_type, payload, actor, recorded_at, prev_hash, hash)
                    VALUES (@position, @agency, @sequence, @stream, @version, @type, @payload, @actor, @recorded_at, @prev_hash, @hash)
                    """;
                foreach (var (p, type, value) in new (string, DbType, object)[]
                {
                    ("@position", DbType.Int64, firstPosition + i), ("@agency", DbType.String, Agencies[i % Agencies.Length]),
                    ("@sequence", DbType.Int64, firstPosition + i), ("@stream", DbType.String, $"raw-{i % 100}"), ("@version", DbType.Int64, firstPosition + i),
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

    /// <summary>SHA256.HashData over each of <paramref name="inputs"/> in turn, for as many events as verify walked.</summary>
    private static double BareHashRate(byte[][] inputs, long events)
    {
        Span<byte> digest = stackalloc byte[32];
        var watch = Stopwatch.StartNew();
        for (long i = 0; i < events; i++)
        {
            SHA256.HashData(inputs[i % inputs.Length], digest);
        }
        return events / watch.Elapsed.TotalSeconds;
    }

    private static void Print(List<Result> results)
    {
        Console.WriteLine();
        Console.WriteLine("The target (≥ 50 %) is judged against the first baseline of each measure; the others are shown for context.");
        Console.WriteLine();
        Console.WriteLine("| database | measure | ledger (events/s) | baseline | baseline (events/s) | ledger ÷ baseline | target ≥ 50 % |");
        Console.WriteLine("| --- | --- | ---: | --- | ---: | ---: | --- |");
        foreach (var r in results)
        {
            for (var b = 0; b < r.Baselines.Count; b++)
            {
                var (baseline, rate) = r.Baselines[b];
                var ratio = r.Ledger / rate;
                var target = b == 0 ? (ratio >= 0.5 ? "met" : "MISSED") : "(context)";
                Console.WriteLine(b == 0
                    ? $"| {r.Database} | {r.Measure} | {r.Ledger:N0} | {baseline} | {rate:N0} | {ratio:P0} | {target} |"
                    : $"| | | | {baseline} | {rate:N0} | {ratio:P0} | {target} |");
            }
        }
    }

    /// <summary>The 1, 5 and 15-minute load averages (Linux), so a run says how busy the machine was.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

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
            // What verify must hash per event at the least: the whole ChainHash input, as the ledger would store it.
            var recordedAt = Encoding.UTF8.GetBytes(ChainHash.FormatRecordedAt(DateTimeOffset.UnixEpoch));
            HashInputs = [.. events.Select((e, i) =>
            {
                var agency = Encoding.UTF8.GetBytes(Agencies[i % Agencies.Length]);
                var stream = Encoding.UTF8.GetBytes($"single{i / ChunkEvents}-{i % 100}");
                var type = Encoding.UTF8.GetBytes(e.Type);
                var actor = "bench@threshold.test"u8.ToArray();
                var input = new byte[ChainHash.EncodedLength(agency.Length, stream.Length, type.Length, PayloadBytes[i].Length, actor.Length, recordedAt.Length)];
                var written = ChainHash.Encode(agency, i + 1, stream, i / 100 + 1, type, PayloadBytes[i], actor, recordedAt, hashes[i], input);
                return input[..written];
            })];
        }

        public NewEvent[] Events { get; }

        public string[] Payloads { get; }

        public byte[][] PayloadBytes { get; }

        public byte[][] Hashes { get; }

        public byte[][] HashInputs { get; }

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
