using System.Diagnostics;
using System.Globalization;
using Threshold.Access;
using Threshold.Administration;
using Threshold.Cli;
using Threshold.Safeguarding;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Storage.Safeguarding;

// The triage screen's server work (work-list counts, the "new" list, one referral's previous-referral
// look-up with Threshold.Matching, and the audit appends the gateway makes) with N referrals in the
// read model, next to the store ping that /health makes, in the same run.
//   dotnet run -c Release --project bench/Threshold.Bench.Safeguarding -- [referrals] [--database postgres://…]
// The read model is seeded directly (portable multi-row INSERTs) rather than through the ledger:
// the screen reads only the read model, and appending 500,000 chained events is the ledger
// benchmark's job.
var count = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 500_000;
var database = args.SkipWhile(a => a != "--database").Skip(1).FirstOrDefault();
var dir = Path.Combine(Path.GetTempPath(), "threshold-bench-sg", Guid.NewGuid().ToString("n"));
await using var store = await ThresholdStore.OpenAsync(new StoreOptions { DataDirectory = dir, Database = database, Projections = CliContext.Projections() });
var admin = new AdministrationQueries(store);
await DemoSeed.SeedAsync(CliContext.Administration(store));

var seedTimer = Stopwatch.StartNew();
var random = new Random(5);
string[] family = ["Morgan", "Ashdown", "Lockwood", "Pemberton", "Okafor", "Castell", "Marsh", "Fielding", "Harrow", "Whitlow", "Penrose", "Greaves", "Dunmore", "Lennox", "Tate", "Vale"];
string[] given = ["Ellie", "Noah", "Isla", "Finn", "Robin", "Maisie", "Theo", "Ava", "Leo", "Mia", "Oscar", "Ruby", "Alfie", "Grace", "Jack", "Lily"];
var now = DateTimeOffset.UtcNow;
await using (var c = await store.OpenConnectionAsync())
{
    const int batch = 500;
    for (var start = 0; start < count; start += batch)
    {
        await using var tx = await c.BeginTransactionAsync();
        var referrals = new List<string>();
        var people = new List<string>();
        for (var i = start; i < Math.Min(count, start + batch); i++)
        {
            var id = i.ToString("x32", CultureInfo.InvariantCulture);
            var received = now.AddMinutes(-random.Next(0, 60 * 24 * 365));
            var status = i % 50 == 0 ? "Received" : i % 7 == 0 ? "AwaitingStrategyDiscussion" : "Closed";
            var fam = family[random.Next(family.Length)] + (random.Next(200) == 0 ? "" : random.Next(2000).ToString(CultureInfo.InvariantCulture));
            var dob = new DateOnly(2008, 1, 1).AddDays(random.Next(0, 365 * 17)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var pc = $"RV{random.Next(1, 30)} {random.Next(1, 9)}{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}";
            referrals.Add($"('{id}','riverside-council','REF-{id[^8..].ToUpperInvariant()}','agency','harbourside-police','{ReferralProjection.Utc(received)}','{ReferralProjection.WeekOf(received)}','{ReferralProjection.Utc(received.AddDays(1))}','{status}',{(status == "Received" ? "NULL" : "'no-further-action'")},{(i % 997 == 0 ? 1 : 0)},'{given[random.Next(given.Length)]} {fam} ({dob})',0,0,'england')");
            people.Add($"('{id}','riverside-council',0,'child','{given[random.Next(given.Length)]}','{fam}','{fam.ToLowerInvariant()}','{dob}','{pc.Replace(" ", "", StringComparison.Ordinal)}')");
            people.Add($"('{id}','riverside-council',1,'mother','Alex','{fam}','{fam.ToLowerInvariant()}',NULL,'{pc.Replace(" ", "", StringComparison.Ordinal)}')");
        }
        await using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO sg_referrals (referral_id, agency_id, reference, door, referring_agency, received_at, received_week, triage_due_by, status, decision, immediate_danger, children, restricted, finding_awaiting, nation) VALUES " + string.Join(",", referrals);
            await cmd.ExecuteNonQueryAsync();
            cmd.CommandText = "INSERT INTO sg_referral_people (referral_id, agency_id, position, role, given_name, family_name, family_key, date_of_birth, postcode_key) VALUES " + string.Join(",", people);
            await cmd.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }
}
Console.WriteLine($"seeded {count:N0} referrals in {seedTimer.Elapsed.TotalSeconds:N0} s on {store.Kind}");

var queries = new ReferralQueries(store);
var frontDoor = new FrontDoor(queries, new ReadGateway(store, admin), TimeProvider.System);
var user = new CurrentUser("bench", "triage-worker@riverside-council.example", "Jo Pemberton", "riverside-council", "Riverside", "children-services", null, ["triage-worker"]);
var screen = new List<double>();
var health = new List<double>();
for (var i = 0; i < 220; i++)
{
    var t = Stopwatch.StartNew();
    await store.PingAsync(default);
    health.Add(t.Elapsed.TotalMilliseconds);
    t.Restart();
    await frontDoor.CountsAsync(user, default);
    await frontDoor.WorkListAsync(user, WorkList.New, ReadChannel.Page, 50, default);
    var id = (random.Next(count) / 50 * 50).ToString("x32", CultureInfo.InvariantCulture);
    await frontDoor.PreviousReferralsAsync(user, id, default);
    screen.Add(t.Elapsed.TotalMilliseconds);
}
static double P(List<double> xs, double p) { var s = xs.Skip(20).Order().ToList(); return s[(int)Math.Ceiling(p * s.Count) - 1]; }
Console.WriteLine($"triage screen ({store.Kind}, {count:N0} referrals): p50 {P(screen, 0.5):N1} ms, p95 {P(screen, 0.95):N1} ms");
Console.WriteLine($"/health store ping ({store.Kind}): p50 {P(health, 0.5):N2} ms, p95 {P(health, 0.95):N2} ms");
try { Directory.Delete(dir, true); } catch (IOException) { }
