using System.Diagnostics;
using Threshold.Domain.Harassment;
using Threshold.Mail.Import;
using Threshold.Mail.Triage;
using Threshold.Storage.Blobs;
using Threshold.Storage.Events;

/// <summary>Where the time goes, stage by stage, on the first N messages of an mbox (no ledger).</summary>
internal static class Stages
{
    public static async Task RunAsync(string mbox, string work, int limit)
    {
        var blobs = new BlobStore(Path.Combine(work, $"stage-blobs-{Guid.NewGuid():n}"));
        var sw = new Dictionary<string, Stopwatch> { ["parse"] = new(), ["raw"] = new(), ["read"] = new(), ["triage"] = new(), ["json"] = new() };
        var allocated = sw.Keys.ToDictionary(k => k, _ => 0L);
        var mark = GC.GetTotalAllocatedBytes(precise: true);
        void Stop(string stage)
        {
            sw[stage].Stop();
            var now = GC.GetTotalAllocatedBytes(precise: true);
            allocated[stage] += now - mark;
            mark = now;
        }
        var n = 0;
        sw["parse"].Start();
        // As the import reads: each message loaded whole, its raw bytes held from the parse, disposed once read.
        foreach (var m in MailSource.Read(mbox, persistent: false))
        {
            using var owned = m;
            Stop("parse");
            sw["raw"].Start();
            await using (var raw = m.OpenRaw())
            {
                var buffer = new byte[m.RawLength];
                raw.ReadExactly(buffer);
                blobs.PutPacked(buffer);
            }
            Stop("raw");
            sw["read"].Start();
            var outcome = await MailReader.ReadAsync(m.Message!, new StoredBlob("00", m.RawLength), m.SourceName, MailReadOptions.NoOwnAddresses,
                async (s, ct) => { var b = await blobs.PutAsync(s, ct); return new StoredBlob(b.Sha256, b.Size); });
            Stop("read");
            sw["triage"].Start();
            var labels = TriageScorer.Default.Score(outcome.Mail!.Subject, outcome.Mail.Body);
            Stop("triage");
            sw["json"].Start();
            _ = EventSerializer.ToNew(new ContactLogged("c", "o", "email", DateTimeOffset.UtcNow, outcome.Mail.Sender, outcome.Mail.Subject, outcome.Mail.Body, false,
                outcome.Mail.Evidence, null, "cor", true, "r", labels, "v", []));
            Stop("json");
            if (++n >= limit)
            {
                break;
            }
            sw["parse"].Start();
        }
        foreach (var (k, v) in sw)
        {
            Console.WriteLine($"{k,-8} {v.Elapsed.TotalMilliseconds * 1000 / n,8:N0} µs/message {allocated[k] / 1024.0 / n,8:N1} KB allocated/message");
        }
    }
}
