// Records document only their less obvious parameters.
#pragma warning disable CS1573

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Threshold.Access;
using Threshold.Administration;
using Threshold.Domain.Agencies;
using Threshold.Domain.Integrity;
using Threshold.Domain.Safeguarding;
using Threshold.Policing;
using Threshold.Safeguarding;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;
using Threshold.Storage.Safeguarding;

namespace Threshold.Integrity.Evaluation;

/// <summary>The evaluation's clock: set to each step's moment (the only thing mocked; randomness is the seed).</summary>
public sealed class ScenarioClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>What happened to one generated referral: what the real service recorded, with its signals read back from the ledger.</summary>
/// <param name="ExpectedTriageDueBy">The deadline any referral received at that moment gets (the procedures' clock), signals or not.</param>
public sealed record ReferralOutcome(ScenarioReferral Referral, ReferralReceived Received, IReadOnlyList<IntegritySignal> Signals, ReferralRow? Row,
    DateTimeOffset ExpectedTriageDueBy, double SubmitMilliseconds)
{
    public bool Has(string kind) => Signals.Any(s => s.Kind == kind);

    /// <summary>A signal resting on a police record: the referrer is the suspect, or under a no-contact instruction.</summary>
    public bool RecordSignal => Has(SignalKinds.ReferrerIsSuspect) || Has(SignalKinds.ReferrerUnderNoContact);

    /// <summary>Recorded with the deadline and status of any other referral received at that moment.</summary>
    public bool KeptDeadline => Received.TriageDueBy == ExpectedTriageDueBy && Row is { } row && row.TriageDue == ExpectedTriageDueBy
        && row.Status == nameof(ReferralStatus.Received) && Received.ImmediateDanger == Referral.Submission.ImmediateDanger;
}

/// <summary>
/// Runs generated histories (<see cref="IntegrityScenarios"/>) through the real application: agencies,
/// users' agreements and police cases recorded on the store's ledger, every referral submitted through
/// <see cref="ReferralService.SubmitAsync"/> built the way the web application's DI builds it, and the
/// signals it recorded read back from the referral's stream.
/// </summary>
public static class IntegrityEvaluation
{
    private const string Actor = "system:integrity-evaluation";

    /// <summary>The services as ThresholdWeb registers them (without the web parts).</summary>
    public static ServiceProvider Services(ThresholdStore store, TimeProvider clock)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(store);
        services.AddSingleton(clock);
        services.AddSingleton<AdministrationQueries>();
        services.AddSingleton<AdministrationService>();
        services.AddSingleton<ReadGateway>();
        services.AddSingleton<IPasswordHasher<ThresholdUser>, PasswordHasher<ThresholdUser>>();
        SafeguardingSetup.AddServices(services);
        Harassment.HarassmentSetup.AddServices(services);
        PoliceSetup.AddServices(services);
        IntegritySetup.AddServices(services);
        services.AddLogging();
        return services.BuildServiceProvider();
    }

    /// <summary>Records the areas' agencies and agreements and every police case, then submits every referral in the order they arrive.</summary>
    public static async Task<EvaluationReport> RunAsync(ThresholdStore store, ScenarioClock clock, Scenarios scenarios, TextWriter? progress = null, CancellationToken ct = default)
    {
        await using var provider = Services(store, clock);
        var admin = provider.GetRequiredService<AdministrationService>();
        var service = provider.GetRequiredService<ReferralService>();
        var queries = provider.GetRequiredService<ReferralQueries>();
        var load = Stopwatch.StartNew();
        clock.Now = scenarios.Options.FirstReferralAt.AddYears(-1);
        foreach (var area in scenarios.Areas)
        {
            await admin.RegisterAgencyAsync(area.PoliceId, area.PoliceName, AgencyKind.Police.ToSlug(), null, Actor, ct);
            await admin.RegisterAgencyAsync(area.CouncilId, area.CouncilName, AgencyKind.ChildrenServices.ToSlug(), null, Actor, ct);
            await admin.RegisterAgencyAsync(area.OfficeId, area.OfficeName, AgencyKind.Office.ToSlug(), null, Actor, ct);
            await admin.RegisterAgencyAsync(area.NeighbouringPoliceId, area.NeighbouringPoliceName, AgencyKind.Police.ToSlug(), null, Actor, ct);
            await admin.RecordAgreementAsync([area.PoliceId, area.CouncilId, area.OfficeId], "safeguarding", Actor, ct);
        }
        foreach (var c in scenarios.Cases.OrderBy(c => c.Opened.OpenedAt))
        {
            clock.Now = c.Opened.OpenedAt;
            IReadOnlyList<Domain.IEvent> events = c.Instruction is { } nci ? [c.Opened, nci] : [c.Opened];
            await store.Ledger.AppendAsync(c.PoliceId, PoliceCaseService.StreamId(c.Opened.CaseId), ExpectedVersion.NoStream,
                [.. events.Select(EventSerializer.ToNew)], "user:" + c.Opened.OfficerEmail, ct);
        }
        load.Stop();
        progress?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"recorded {scenarios.Areas.Count} areas and {scenarios.Cases.Count()} police cases ({scenarios.Cases.Count(c => c.Instruction is not null)} with a no-contact instruction) in {load.Elapsed.TotalSeconds:N1} s"));

        var outcomes = new List<ReferralOutcome>();
        var submit = Stopwatch.StartNew();
        foreach (var r in scenarios.Referrals)
        {
            clock.Now = r.At;
            var timer = Stopwatch.StartNew();
            var received = await service.SubmitAsync(r.Submission, r.Actor, ct);
            timer.Stop();
            var stream = await store.Ledger.ReadStreamAsync(ReferralService.StreamId(received.ReferralId), ct);
            var signals = stream.Select(EventSerializer.Deserialize).OfType<ReferralIntegrityChecked>().First().Signals;
            var expected = ReferralIntake.Receive(r.Submission, "expected", r.At, ReferralService.Calendar).TriageDueBy;
            outcomes.Add(new ReferralOutcome(r, received, signals, await queries.FindAsync(received.ReferralId, ct), expected, timer.Elapsed.TotalMilliseconds));
        }
        submit.Stop();
        progress?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"submitted {outcomes.Count} referrals through ReferralService.SubmitAsync in {submit.Elapsed.TotalSeconds:N1} s"));
        return new EvaluationReport(scenarios, outcomes);
    }
}

/// <summary>The evaluation's figures against the targets of issue 7, and the cases that missed them, explained.</summary>
public sealed class EvaluationReport(Scenarios scenarios, IReadOnlyList<ReferralOutcome> outcomes)
{
    public const double DetectionTarget = 0.95;
    public const double ProfessionalAlertTarget = 0.02;

    public Scenarios Scenarios => scenarios;

    public IReadOnlyList<ReferralOutcome> Outcomes => outcomes;

    public IReadOnlyList<ReferralOutcome> Labelled(string label) => [.. outcomes.Where(o => o.Referral.Label == label)];

    public IReadOnlyList<ReferralOutcome> Professionals => [.. outcomes.Where(o => o.Referral.Label is ReferralLabels.ProfessionalRandomFamily or ReferralLabels.ProfessionalVictimFamily)];

    /// <summary>Malicious referrals by a referrer on record that raised a record signal (suspect or no-contact).</summary>
    public double DetectionRate => Rate(Labelled(ReferralLabels.MaliciousOnRecord), o => o.RecordSignal);

    /// <summary>Professionals' referrals that raised any signal at all.</summary>
    public double ProfessionalAlertRate => Rate(Professionals, o => o.Signals.Count > 0);

    /// <summary>Relatives' referrals that raised referrer-is-suspect or referrer-under-no-contact.</summary>
    public int RelativeRecordSignals => Labelled(ReferralLabels.Relative).Count(o => o.RecordSignal);

    /// <summary>Referrals by suspects whom only a force without an agreement holds that raised a record signal (the check looked where it may not).</summary>
    public int NoAgreementRecordSignals => Labelled(ReferralLabels.NoAgreement).Count(o => o.RecordSignal);

    public int HardCasesNotKeepingDeadline => Labelled(ReferralLabels.HardCase).Count(o => !o.KeptDeadline);

    public bool MeetsTargets => DetectionRate >= DetectionTarget && ProfessionalAlertRate <= ProfessionalAlertTarget && RelativeRecordSignals == 0 && HardCasesNotKeepingDeadline == 0
        && NoAgreementRecordSignals == 0;

    private static double Rate(IReadOnlyList<ReferralOutcome> xs, Func<ReferralOutcome, bool> p) => xs.Count == 0 ? 0 : (double)xs.Count(p) / xs.Count;

    private static string Cell(int n, int of) => of == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{n}/{of} ({100.0 * n / of:0.0}%)");

    /// <summary>The table: one row per ground-truth label, one column per signal kind, then any record signal and any signal at all.</summary>
    public string Table()
    {
        var sb = new StringBuilder();
        var kinds = SignalKinds.All;
        var malicious = Labelled(ReferralLabels.MaliciousOnRecord);
        var withInstruction = malicious.Where(o => o.Referral.Case?.Instruction is not null).ToList();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{scenarios.Histories.Count} histories in {scenarios.Areas.Count} areas (seed {scenarios.Options.Seed}); {scenarios.Cases.Count()} police cases; {outcomes.Count} referrals");
        sb.AppendLine();
        string[] head = ["referrals", "n", .. kinds, "suspect or no-contact", "any signal"];
        var rows = new List<string[]>();
        void Row(string name, IReadOnlyList<ReferralOutcome> xs, IReadOnlyList<ReferralOutcome>? noContactBase = null) =>
            rows.Add([name, xs.Count.ToString(CultureInfo.InvariantCulture),
                .. kinds.Select(k => k == SignalKinds.ReferrerUnderNoContact && noContactBase is not null
                    ? Cell(noContactBase.Count(o => o.Has(k)), noContactBase.Count) + " of those under an instruction"
                    : Cell(xs.Count(o => o.Has(k)), xs.Count)),
                Cell(xs.Count(o => o.RecordSignal), xs.Count), Cell(xs.Count(o => o.Signals.Count > 0), xs.Count)]);
        Row("malicious, referrer on record (detection)", malicious, withInstruction);
        Row("malicious, referrer on no record", Labelled(ReferralLabels.MaliciousNotOnRecord));
        Row("professional, random family (false alerts)", Labelled(ReferralLabels.ProfessionalRandomFamily));
        Row("professional, victim's family (false alerts)", Labelled(ReferralLabels.ProfessionalVictimFamily));
        Row("professional, all (false alerts)", Professionals);
        Row("professional sharing the suspect's name (reported apart)", Labelled(ReferralLabels.ProfessionalNamesake));
        Row("suspect's relative (must be no record signal)", Labelled(ReferralLabels.Relative));
        Row("hard case: ex-partner under instruction, real harm (signals correct)", Labelled(ReferralLabels.HardCase));
        Row("malicious, suspect known only to a force without agreement (must be no record signal)", Labelled(ReferralLabels.NoAgreement));
        var widths = head.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        sb.AppendLine("| " + string.Join(" | ", head.Select((h, i) => h.PadRight(widths[i]))) + " |");
        sb.AppendLine("| " + string.Join(" | ", widths.Select(w => new string('-', w))) + " |");
        foreach (var r in rows)
        {
            sb.AppendLine("| " + string.Join(" | ", r.Select((c, i) => c.PadRight(widths[i]))) + " |");
        }
        sb.AppendLine();
        var hard = Labelled(ReferralLabels.HardCase);
        string Verdict(bool met) => met ? "met" : "MISSED";
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"detection on malicious referrals whose referrer is on record: {DetectionRate:P1} (target >= {DetectionTarget:P0}) {Verdict(DetectionRate >= DetectionTarget)}"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"alert rate on professionals' referrals: {ProfessionalAlertRate:P1} (target <= {ProfessionalAlertTarget:P0}) {Verdict(ProfessionalAlertRate <= ProfessionalAlertTarget)}"));
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"referrer-is-suspect / referrer-under-no-contact on relatives' referrals: {RelativeRecordSignals} of {Labelled(ReferralLabels.Relative).Count} (target 0) {Verdict(RelativeRecordSignals == 0)}");
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"record signals on referrals by suspects known only to a force without an agreement: {NoAgreementRecordSignals} of {Labelled(ReferralLabels.NoAgreement).Count} (target 0) {Verdict(NoAgreementRecordSignals == 0)}");
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"hard cases: {hard.Count(o => o.RecordSignal)} of {hard.Count} signalled (expected, not false alerts); {hard.Count(o => o.KeptDeadline)} of {hard.Count} recorded with the same triage deadline and status as any referral received at that moment {Verdict(HardCasesNotKeepingDeadline == 0)}");
        sb.AppendLine("wording-resembles-harassment: not exercised (these histories log no office messages); referrer-history: no referrer here has an earlier finding.");
        var ms = outcomes.Select(o => o.SubmitMilliseconds).Order().ToList();
        if (ms.Count > 0)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"SubmitAsync (integrity check included) on this small store: p50 {ms[(ms.Count - 1) / 2]:N1} ms, p95 {ms[(int)Math.Ceiling(0.95 * ms.Count) - 1]:N1} ms"));
        }
        return sb.ToString();
    }

    /// <summary>The referrals that missed a target, each with what the check was given, what police hold, and the signals' explanations and evidence.</summary>
    public string Failures(int max = 8)
    {
        var sb = new StringBuilder();
        void Section(string title, IEnumerable<ReferralOutcome> xs)
        {
            var list = xs.ToList();
            if (list.Count == 0)
            {
                return;
            }
            sb.AppendLine(CultureInfo.InvariantCulture, $"{title}: {list.Count}");
            foreach (var o in list.Take(max))
            {
                Describe(sb, o);
            }
        }
        Section("missed malicious referrals (referrer on record, no record signal)", Labelled(ReferralLabels.MaliciousOnRecord).Where(o => !o.RecordSignal));
        Section("false alerts on professionals' referrals", Professionals.Where(o => o.Signals.Count > 0));
        Section("record signals on relatives' referrals", Labelled(ReferralLabels.Relative).Where(o => o.RecordSignal));
        Section("malicious referrals by the subject of an instruction in force without referrer-under-no-contact (the suspect signal was raised or not, see above)",
            Labelled(ReferralLabels.MaliciousOnRecord).Where(o => o.Referral.Case?.Instruction is not null && !o.Has(SignalKinds.ReferrerUnderNoContact)));
        Section("signals on professionals who share the suspect's name (not in the target)", Labelled(ReferralLabels.ProfessionalNamesake).Where(o => o.Signals.Count > 0));
        Section("record signals from a force without an agreement", Labelled(ReferralLabels.NoAgreement).Where(o => o.RecordSignal));
        Section("hard cases not keeping the deadline", Labelled(ReferralLabels.HardCase).Where(o => !o.KeptDeadline));
        return sb.ToString();
    }

    private static void Describe(StringBuilder sb, ReferralOutcome o)
    {
        var r = o.Referral;
        var referrer = r.Submission.Referrer.Person;
        sb.AppendLine(CultureInfo.InvariantCulture, $"- history {r.History}, {r.Label}, {r.Submission.Door} door, {o.Received.Reference}: {r.Written}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"    referrer as written: {Show(referrer)}; relationship \u201c{r.Submission.Referrer.Relationship}\u201d, {r.Submission.Referrer.SourceOfKnowledge}");
        if (r.Case is { } c && referrer is not null)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"    case {c.Opened.Reference} ({c.Kind}{(c.Instruction is null ? "" : c.Instruction.StatutoryOrder is { } order ? $", {order}" : ", no-contact instruction")}) suspect as recorded: {Show(c.Suspect)}");
            var vs = PersonMatch.Explain(referrer, c.Suspect);
            sb.AppendLine(CultureInfo.InvariantCulture, $"    referrer vs suspect: {MatchWords.Describe(vs)}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"      model: {vs}");
            if (c.Instruction is not null)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"    referrer vs instruction subject (no address on it): {MatchWords.Describe(PersonMatch.Explain(referrer, c.Suspect with { Address = null }))}");
            }
            var family = r.Submission.Carers.Select(x => (x.Person, x.Role)).Concat(r.Submission.Children.Select(x => (x, "child")));
            var fam = MatchWords.FamilyMatch(family, [c.Victim, .. c.Opened.Household]);
            sb.AppendLine(CultureInfo.InvariantCulture, $"    family named vs the case's victim and household: {(fam is { } f ? $"{f.Named.DisplayName} ({f.Role}): {MatchWords.Describe(f.Match)}" : "no one at the family threshold")}");
        }
        if (o.Row is { } row)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"    recorded: status {row.Status}, triage due {row.TriageDueBy} (expected {o.ExpectedTriageDueBy:O})");
        }
        foreach (var s in o.Signals)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"    signal {s.Kind} ({s.Strength}): {s.Explanation}");
            foreach (var e in s.Evidence ?? [])
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"      * {e}");
            }
        }
    }

    private static string Show(PersonDetails? p) => p is null ? "(anonymous)" :
        string.Join(", ", new[] { p.DisplayName, p.DateOfBirth is null ? "no date of birth" : $"born {p.DateOfBirth}", p.Email ?? "no e-mail", p.Phone ?? "no phone",
            p.Address is null ? "no address" : string.Join(" ", new[] { p.Address.Line1, p.Address.Town, p.Address.Postcode }.Where(x => !string.IsNullOrEmpty(x))) });
}
