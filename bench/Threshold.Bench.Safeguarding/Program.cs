using System.Diagnostics;
using System.Globalization;
using Threshold.Administration;
using Threshold.Bench.Shared;
using Threshold.Cli;
using Threshold.Domain;
using Threshold.Domain.Access;
using Threshold.Domain.Calendar;
using Threshold.Domain.Safeguarding;
using Threshold.Storage;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;
using Threshold.Web;

// The triage screen through the real server, with N referrals seeded through the ledger.
//   dotnet run -c Release --project bench/Threshold.Bench.Safeguarding -- [referrals] [--database postgres://…|Host=…] [--requests 200]
// 1. Seeds N referrals with store.Ledger.AppendAsync, so the read models (sg_referrals,
//    sg_referral_people, shares) are built by the projections, as in production. Each referral is its
//    own stream (referral:<id>), so each is one append = one transaction of 2–4 events
//    (ReferralReceived, ReferralIntegrityChecked, RecordShared for police referrals, ReferralTriaged
//    for those older than a day); the ledger has no append spanning several streams.
// 2. Starts the real app (ThresholdWeb.Build on Kestrel, loopback), signs in as the demo triage
//    worker through the sign-in form, then requests, in the same loop: GET /health, the work list
//    (/children-services) and one referral's page (its previous-records look-up with
//    Threshold.Matching, and the audited reads). Server time is the Server-Timing header the app
//    sends (ServerTiming); client time over loopback is shown next to it.
var count = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 500_000;
var database = Option("--database");
var requests = int.TryParse(Option("--requests"), out var r) ? r : 200;
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

var dir = Path.Combine(Path.GetTempPath(), "threshold-bench-sg", Guid.NewGuid().ToString("n"));
await using var store = await ThresholdStore.OpenAsync(new StoreOptions { DataDirectory = dir, Database = database, Projections = CliContext.Projections() });
await DemoSeed.SeedAsync(CliContext.Administration(store));
Console.WriteLine($"{DateTimeOffset.UtcNow:u} {store.Kind}: seeding {count:N0} referrals through the ledger");

const string Council = "riverside-council";
var random = new Random(5);
string[] family = ["Morgan", "Ashdown", "Lockwood", "Pemberton", "Okafor", "Castell", "Marsh", "Fielding", "Harrow", "Whitlow", "Penrose", "Greaves", "Dunmore", "Lennox", "Tate", "Vale"];
string[] given = ["Ellie", "Noah", "Isla", "Finn", "Robin", "Maisie", "Theo", "Ava", "Leo", "Mia", "Oscar", "Ruby", "Alfie", "Grace", "Jack", "Lily"];
var calendar = WorkingDayCalendar.EnglandAndWales;
var now = DateTimeOffset.UtcNow;
var seedTimer = Stopwatch.StartNew();
var lap = Stopwatch.StartNew();
var pending = new List<string>();
for (var i = 0; i < count; i++)
{
    var id = i.ToString("x32", CultureInfo.InvariantCulture);
    // Referrals arrive evenly over the last year; the open queues are what that rate leaves open:
    // the last day's referrals await triage, the last three days' strategy-discussion decisions
    // await the panel (older ones went on to early help), everything older is decided.
    var received = now.AddMinutes(-random.Next(0, 60 * 24 * 365));
    var age = now - received;
    var fam = family[random.Next(family.Length)] + (random.Next(200) == 0 ? "" : random.Next(2000).ToString(CultureInfo.InvariantCulture));
    var dob = new DateOnly(2009, 1, 1).AddDays(random.Next(0, 365 * 15)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    var postcode = $"RV{random.Next(1, 30)} {random.Next(1, 9)}{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}";
    var address = new PostalAddress($"{random.Next(1, 200)} Quayside Row", "Riverside", postcode);
    var police = i % 3 == 0;
    var submission = new ReferralSubmission(Council,
        [new PersonDetails(given[random.Next(given.Length)], fam, dob, null, null, address)],
        [new CarerDetails(new PersonDetails("Alex", fam, null, null, null, address), "mother")],
        police
            ? new ReferrerDetails(false, new PersonDetails("Sam", "Hale", null, null, null, null), "investigating officer", "second-hand", "harbourside-police", "Harbourside Police")
            : new ReferrerDetails(true, null, "neighbour", "first-hand", null, null),
        "Shouting and a child crying late at night, several nights this week.", i % 997 == 0, police ? ReferralDoors.Agency : ReferralDoors.Public, null);
    var events = new List<IEvent> { ReferralIntake.Receive(submission, id, received, calendar), new ReferralIntegrityChecked([], "none") };
    if (police)
    {
        events.Add(new RecordShared($"referral:{id}", Council, "harbourside-police", "The referring agency receives the outcome of its referral."));
    }
    if (age > TimeSpan.FromDays(1))
    {
        var decision = i % 7 != 0 ? "no-further-action" : age < TimeSpan.FromDays(3) ? "strategy-discussion" : "early-help";
        events.Add(new ReferralTriaged(decision, "Decided at the front door.", "user:bench", received.AddHours(3), true, null));
    }
    await store.Ledger.AppendAsync(Council, $"referral:{id}", ExpectedVersion.NoStream, [.. events.Select(EventSerializer.ToNew)], "bench@threshold.test");
    if ((i + 1) % 50_000 == 0)
    {
        Console.WriteLine($"  {i + 1:N0} referrals, {seedTimer.Elapsed.TotalSeconds:N0} s ({50_000 / lap.Elapsed.TotalSeconds:N0} referrals/s over the last 50,000)");
        lap.Restart();
    }
}
var seeded = seedTimer.Elapsed;
Console.WriteLine($"seeded {count:N0} referrals through the ledger in {seeded.TotalSeconds:N0} s ({count / seeded.TotalSeconds:N0} referrals/s) on {store.Kind}");

await using var app = ThresholdWeb.Build(store, new ServeOptions { Urls = "http://127.0.0.1:0", SignInAttemptsPerMinute = 10_000 });
await app.StartAsync();
using var client = await SignedInClient.SignInAsync(new Uri(app.Urls.First()), "triage-worker@riverside-council.example");
var health = new List<(double Server, double Client)>();
var workList = new List<(double Server, double Client)>();
var referralPage = new List<(double Server, double Client)>();
var screen = new List<(double Server, double Client)>();
var withPrevious = 0;
const int Warmup = 20;
for (var i = 0; i < requests + Warmup; i++)
{
    var h = await client.GetAsync("/health");
    var w = await client.GetAsync("/children-services");
    var id = random.Next(count).ToString("x32", CultureInfo.InvariantCulture);
    var p = await client.GetAsync($"/children-services/referrals/{id}");
    if (!p.Body.Contains("Previous referrals of this child and family", StringComparison.Ordinal))
    {
        throw new InvalidOperationException("the referral page did not show the previous-records look-up");
    }
    if (i < Warmup)
    {
        continue;
    }
    withPrevious += p.Body.Contains("data-testid=\"previous\"", StringComparison.Ordinal) ? 1 : 0;
    health.Add((h.Server, h.Client));
    workList.Add((w.Server, w.Client));
    referralPage.Add((p.Server, p.Client));
    screen.Add((w.Server + p.Server, w.Client + p.Client));
}
static double P(IEnumerable<double> xs, double p) { var s = xs.Order().ToList(); return s[(int)Math.Ceiling(p * s.Count) - 1]; }
void Report(string what, List<(double Server, double Client)> xs) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  {what,-34} server p50 {P(xs.Select(x => x.Server), 0.5),8:N1} ms  p95 {P(xs.Select(x => x.Server), 0.95),8:N1} ms   client p50 {P(xs.Select(x => x.Client), 0.5),8:N1} ms  p95 {P(xs.Select(x => x.Client), 0.95),8:N1} ms"));
Console.WriteLine($"{store.Kind}, {count:N0} referrals, {requests} rounds after {Warmup} warm-up (referral pages with previous referrals listed: {withPrevious})");
Report("triage screen (list + referral)", screen);
Report("  work list /children-services", workList);
Report("  referral page with look-up", referralPage);
Report("GET /health", health);
await app.StopAsync();
try { Directory.Delete(dir, true); } catch (IOException) { }
