using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Threshold.Administration;
using Threshold.Bench.Shared;
using Threshold.Cli;
using Threshold.Domain;
using Threshold.Domain.Calendar;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;
using Threshold.Storage;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;

// The police work lists and case page (issue 6 "Performance"), measured against a running `threshold serve`.
//   seed N --data DIR [--database CONN]   N police cases with their events, through the ledger
//   load --url URL --cases N [--requests 200]   the lists, a case page and /health, server time from Server-Timing
// bench/police.sh runs both on SQLite and on a throwaway PostgreSQL cluster.
//
// Seeding: each case is one stream (police-case:<id>) written by one ledger append of all its events
// (a batch of 2–14 events in one transaction), built by the domain's own steps so every event is one the
// pages could have written; the read model (police_cases, police_intelligence, …) is built by the
// projections inside each append, as in production. Cases are opened evenly over the last two years;
// what is still open is what that rate leaves open (the last weeks' cases reported or under investigation,
// a few proposals awaiting a supervisor, the rest authorised and closed). 40 officers share the cases;
// the demo investigator is one of them.
if (args.Length == 0 || args[0] is not ("seed" or "load"))
{
    Console.Error.WriteLine("usage: seed N --data DIR [--database CONN] | load --url URL --cases N [--requests 200]");
    return 2;
}
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
return args[0] == "seed"
    ? await Seed.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture), Option("--data") ?? "./data", Option("--database"))
    : await Load.RunAsync(Option("--url") ?? "http://127.0.0.1:5080", int.Parse(Option("--cases") ?? "100000", CultureInfo.InvariantCulture),
        int.TryParse(Option("--requests"), out var r) ? r : 200);

internal static class Cases
{
    public const string Force = "harbourside-police";
    public const string Investigator = "investigator@harbourside-police.example";

    /// <summary>Case i's id: 16 hex digits like the service's own, the same in seed and load.</summary>
    public static string Id(int i) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes($"police-bench-{i}")))[..16];
}

internal static class Seed
{
    private static readonly string[] Family = ["Thorne", "Ashdown", "Lockwood", "Pemberton", "Okafor", "Castell", "Marsh", "Fielding", "Harrow", "Whitlow", "Penrose", "Greaves", "Quenby", "Rooke", "Vale", "Sallow"];
    private static readonly string[] Given = ["Gary", "Dean", "Lee", "Carl", "Wayne", "Neil", "Tina", "Shaun", "Kirsty", "Darren", "Paul", "Jo"];
    private static readonly string[] Victims = ["Alex", "Sam", "Jordan", "Priya", "Morgan", "Casey", "Robin", "Jamie"];

    public static async Task<int> RunAsync(int count, string dir, string? database)
    {
        await using var store = await ThresholdStore.OpenAsync(new StoreOptions { DataDirectory = dir, Database = database, Projections = CliContext.Projections() });
        await DemoSeed.SeedAsync(CliContext.Administration(store));
        Console.WriteLine($"{DateTimeOffset.UtcNow:u} {store.Kind}: seeding {count:N0} police cases through the ledger");
        var offences = OffenceCatalogue.Default;
        var disposals = DisposalCatalogue.Default;
        var calendar = WorkingDayCalendar.EnglandAndWales;
        var random = new Random(6);
        var now = DateTimeOffset.UtcNow;
        var officers = Enumerable.Range(0, 40).Select(o => o == 0 ? (Cases.Investigator, "DC Sam Hale") : ($"officer{o}@harbourside-police.example", $"DC Officer {o}")).ToArray();
        var timer = Stopwatch.StartNew();
        var lap = Stopwatch.StartNew();
        long events = 0;
        for (var i = 0; i < count; i++)
        {
            var id = Cases.Id(i);
            var opened = now.AddMinutes(-random.Next(60, 60 * 24 * 730));
            var age = now - opened;
            var (email, name) = officers[random.Next(officers.Length)];
            var fam = Family[random.Next(Family.Length)] + random.Next(5000).ToString(CultureInfo.InvariantCulture);
            var suspect = new PersonDetails(Given[random.Next(Given.Length)], fam, $"19{random.Next(60, 99)}-0{random.Next(1, 9)}-1{random.Next(0, 9)}",
                $"{fam.ToLowerInvariant()}@example.net", null, null);
            var victim = new PersonDetails(Victims[random.Next(Victims.Length)], Family[random.Next(Family.Length)], null, null, null,
                new PostalAddress($"{random.Next(1, 200)} Quayside Row", "Riverside", $"RV{random.Next(1, 30)} {random.Next(1, 9)}AB"));
            var list = new List<IEvent>
            {
                PoliceCaseRules.Open(new CrimeReportSubmission(victim, [suspect], [], "harassment", "Repeated abusive e-mails and messages to the victim.", i % 11 == 0),
                    id, Cases.Force, email, name, opened, offences, disposals),
            };
            var reported = age < TimeSpan.FromDays(2) && i % 3 == 0;
            if (!reported)
            {
                list.Add(new InvestigationStarted(email, name, opened.AddMinutes(30)));
                var incidents = 2 + random.Next(3);
                for (var k = 0; k < incidents; k++)
                {
                    list.Add(new IncidentRecorded($"inc-{id}-{k}", opened.AddDays(-3 * (incidents - k)), k % 2 == 0 ? "email" : "text-message", $"exhibit {k + 1}",
                        "Abusive message.", true, null));
                }
            }
            // Open for about six weeks: the last weeks' cases are still being investigated; older ones go on to a disposal.
            if (!reported && age > TimeSpan.FromDays(42))
            {
                var c = PoliceCase.From(list);
                var t = opened.AddDays(7);
                var day = LondonTime.DateOf(t);
                list.Add(c.RecordOffenceDecision(offences, "pha-1997-s2", "crime-recorded", "Course of conduct on several occasions.", "user:" + email, t));
                var domestic = i % 11 == 0;
                list.Add(new SuspectAccountRecorded(0, day, "voluntary-attendance", SuspectAccounts.Admitted, "Admits sending them.", "user:" + email));
                list.Add(new VictimViewsRecorded(day, "by phone", "Wants it to stop.", "user:" + email));
                c = PoliceCase.From(list);
                var disposal = domestic ? "simple-caution" : "community-resolution";
                list.Add(c.ProposeDisposal(disposals, DisposalCatalogue.Current, $"prop-{id}", 0, disposal, null,
                    disposal == "community-resolution" ? ["Not to contact the victim"] : null, true, "Admitted; victim content.", "user:" + email, t.AddDays(1)));
                // A few proposals are still waiting for a supervisor; the rest were authorised, the victim told and the case closed.
                if (i % 50 != 0)
                {
                    c = PoliceCase.From(list);
                    var at = t.AddDays(2);
                    list.Add(c.AuthoriseDisposal(disposals, "Proportionate.", "user:supervisor@harbourside-police.example", true, at, calendar));
                    list.Add(c.IntelligenceForDisposal(disposals, $"intel-{id}", "user:supervisor@harbourside-police.example", at, LondonTime.DateOf(at)));
                    c = PoliceCase.From(list);
                    list.Add(c.InformVictim(disposals, LondonTime.DateOf(at.AddDays(1)), "by phone", "Disposal authorised.", null, "user:" + email, LondonTime.DateOf(now)));
                    c = PoliceCase.From(list);
                    list.Add(c.Close("Disposal complete.", "user:" + email, at.AddDays(2)));
                }
            }
            await store.Ledger.AppendAsync(Cases.Force, Threshold.Policing.PoliceCaseService.StreamId(id), ExpectedVersion.NoStream, [.. list.Select(EventSerializer.ToNew)], "user:" + email);
            events += list.Count;
            if ((i + 1) % 20_000 == 0)
            {
                Console.WriteLine($"  {i + 1:N0} cases, {timer.Elapsed.TotalSeconds:N0} s ({20_000 / lap.Elapsed.TotalSeconds:N0} cases/s over the last 20,000)");
                lap.Restart();
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seeded {count:N0} cases ({events:N0} events) through the ledger in {timer.Elapsed.TotalSeconds:N0} s ({count / timer.Elapsed.TotalSeconds:N0} cases/s, {events / timer.Elapsed.TotalSeconds:N0} events/s) on {store.Kind}"));
        return 0;
    }

}

internal static class Load
{
    public static async Task<int> RunAsync(string url, int count, int requests)
    {
        using var client = await SignedInClient.SignInAsync(new Uri(url), Cases.Investigator);

        string[] lists = ["my-cases", "new-reports", "awaiting-authorisation", "overdue-victim-updates"];
        var measured = new Dictionary<string, List<(double Server, double Client)>>(StringComparer.Ordinal);
        void Add(string what, (double Server, double Client, string Body) r)
        {
            if (!measured.TryGetValue(what, out var xs))
            {
                measured[what] = xs = [];
            }
            xs.Add((r.Server, r.Client));
        }
        var random = new Random(7);
        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        const int Warmup = 20;
        for (var i = 0; i < requests + Warmup; i++)
        {
            var h = await client.GetAsync("/health");
            var results = new List<(string, (double, double, string))>();
            foreach (var list in lists)
            {
                results.Add(($"/police?list={list}", await client.GetAsync($"/police?list={list}")));
            }
            var page = await client.GetAsync($"/police/cases/{Cases.Id(random.Next(count))}");
            if (!page.Body.Contains("data-testid=\"assessment\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("the case page did not show the offence advice");
            }
            if (i < Warmup)
            {
                continue;
            }
            Add("GET /health", h);
            foreach (var (what, r) in results)
            {
                Add(what, r);
                rows[what] = Regex.Matches(r.Item3, "data-case=\"").Count;
            }
            Add("case page /police/cases/{id}", page);
        }
        static double P(IEnumerable<double> xs, double p) { var s = xs.Order().ToList(); return s[(int)Math.Ceiling(p * s.Count) - 1]; }
        Console.WriteLine($"{url}, {count:N0} cases, {requests} rounds after {Warmup} warm-up, signed in as the demo investigator");
        foreach (var (what, xs) in measured)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {what,-44} server p50 {P(xs.Select(x => x.Server), 0.5),7:N1} ms  p95 {P(xs.Select(x => x.Server), 0.95),7:N1} ms   client p50 {P(xs.Select(x => x.Client), 0.5),7:N1} ms  p95 {P(xs.Select(x => x.Client), 0.95),7:N1} ms{(rows.TryGetValue(what, out var n) ? $"  ({n} rows)" : "")}"));
        }
        return 0;
    }
}
