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
        var n = 0;
        sw["parse"].Start();
        foreach (var m in MailSource.Read(mbox))
        {
            sw["parse"].Stop();
            sw["raw"].Start();
            await using (var raw = m.OpenRaw())
            {
                var buffer = new byte[m.RawLength];
                await raw.ReadExactlyAsync(buffer);
                blobs.PutPacked(buffer);
            }
            sw["raw"].Stop();
            sw["read"].Start();
            var outcome = await MailReader.ReadAsync(m.Message!, new StoredBlob("00", m.RawLength), m.SourceName, MailReadOptions.NoOwnAddresses,
                async (s, ct) => { var b = await blobs.PutAsync(s, ct); return new StoredBlob(b.Sha256, b.Size); });
            sw["read"].Stop();
            sw["triage"].Start();
            var labels = TriageScorer.Default.Score(outcome.Mail!.Subject, outcome.Mail.Body);
            sw["triage"].Stop();
            sw["json"].Start();
            _ = EventSerializer.ToNew(new ContactLogged("c", "o", "email", DateTimeOffset.UtcNow, outcome.Mail.Sender, outcome.Mail.Subject, outcome.Mail.Body, false,
                outcome.Mail.Evidence, null, "cor", true, "r", labels, "v", []));
            sw["json"].Stop();
            if (++n >= limit)
            {
                break;
            }
            sw["parse"].Start();
        }
        foreach (var (k, v) in sw)
        {
            Console.WriteLine($"{k,-8} {v.Elapsed.TotalMilliseconds * 1000 / n,8:N0} µs/message");
        }
    }
}
