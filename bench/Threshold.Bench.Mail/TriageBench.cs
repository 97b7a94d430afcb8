using System.Diagnostics;
using MimeKit;
using Threshold.Domain.Harassment;
using Threshold.Mail.Triage;

/// <summary>
/// The triage scorer alone (issue 4): the mbox's messages are read once with MimeKit (subject and text body), then
/// <see cref="TriageScorer.Default"/> scores them all, single thread, warm, several rounds; µs per message.
/// Uses only MimeKit and <c>TriageScorer.Score</c>, so the same file can time an older scorer built elsewhere.
/// </summary>
internal static class TriageBench
{
    public static void Run(string mbox, int limit = 10_000, int rounds = 7)
    {
        var messages = new List<(string? Subject, string? Body)>();
        using (var stream = File.OpenRead(mbox))
        {
            var parser = new MimeParser(stream, MimeFormat.Mbox);
            while (!parser.IsEndOfStream && messages.Count < limit)
            {
                using var message = parser.ParseMessage();
                messages.Add((message.Subject, message.TextBody));
            }
        }
        var chars = messages.Sum(m => (m.Subject?.Length ?? 0) + (m.Body?.Length ?? 0));
        var scorer = TriageScorer.Default;
        var findings = 0;
        foreach (var (subject, body) in messages)
        {
            findings += scorer.Score(subject, body).Count(f => f.Bucket != TriageLabels.Unlikely);
        }
        var times = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            var sw = Stopwatch.StartNew();
            foreach (var (subject, body) in messages)
            {
                scorer.Score(subject, body);
            }
            times.Add(sw.Elapsed.TotalMilliseconds * 1000 / messages.Count);
        }
        times.Sort();
        Console.WriteLine($"triage: {messages.Count:N0} messages ({chars / messages.Count:N0} characters on average; {findings:N0} labels likely or possible), " +
            $"{times[0]:N1} µs/message best of {rounds} rounds, median {times[rounds / 2]:N1}, single thread");
    }
}
