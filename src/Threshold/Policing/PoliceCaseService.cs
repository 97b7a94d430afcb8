using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Threshold.Access;
using Threshold.Domain;
using Threshold.Domain.Agencies;
using Threshold.Domain.Calendar;
using Threshold.Domain.Harassment;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Storage.Blobs;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;
using Threshold.Web;

namespace Threshold.Policing;

/// <summary>The force's settings for police cases (configuration section <c>Police</c>).</summary>
public sealed class PoliceOptions
{
    /// <summary><c>current</c> (default) or <c>two-tier</c> (Police, Crime, Sentencing and Courts Act 2022 Part 6), e.g. <c>Police__OutOfCourtFramework=two-tier</c>.</summary>
    public string OutOfCourtFramework { get; set; } = DisposalCatalogue.Current;
}

/// <summary>A police case read through the gateway: its events folded, with the stream version for the next append.</summary>
public sealed record LoadedPoliceCase(string Id, string OwnerAgencyId, PoliceCase Case, long Version);

/// <summary>Who may do what on a police case (the API checks these per route; pages should too).</summary>
public static class PoliceRoles
{
    public static readonly string[] Read = [Role.ContactHandler.Slug, Role.Investigator.Slug, Role.Supervisor.Slug];
    public static readonly string[] Report = [Role.ContactHandler.Slug, Role.Investigator.Slug, Role.Supervisor.Slug];
    public static readonly string[] Investigate = [Role.Investigator.Slug, Role.Supervisor.Slug];
    public static readonly string[] Authorise = [Role.Supervisor.Slug];

    public static bool Any(CurrentUser user, IEnumerable<string> roles) => roles.Any(user.IsIn);
}

/// <summary>Told of every change to a police case once it is recorded (the integrity check looks again at open referrals); never changes the case.</summary>
public interface IPoliceCaseHook
{
    Task AppendedAsync(string agencyId, IReadOnlyList<IEvent> events, CancellationToken ct);
}

/// <summary>
/// The police case's use cases (issue 6). A case is <c>police-case:&lt;id&gt;</c> in the force's
/// chain. Every read goes through the read gateway (audited); every change loads the case, asks
/// the domain for the next events (which refuses with a named rule) and appends them at the version
/// the caller read — a stale version is a <see cref="ConcurrencyConflictException"/> (409).
/// Each method returns the case after the change, or null when the user cannot see it (404).
/// </summary>
public sealed class PoliceCaseService(ThresholdStore store, ReadGateway gateway, AdministrationQueries admin, BlobStore blobs, TimeProvider clock, PoliceOptions options,
    IEnumerable<IPoliceCaseHook> hooks, ILogger<PoliceCaseService>? log = null)
{
    public static OffenceCatalogue Offences => OffenceCatalogue.Default;

    public static DisposalCatalogue Disposals => DisposalCatalogue.Default;

    public static WorkingDayCalendar Calendar => WorkingDayCalendar.EnglandAndWales;

    public string Framework => DisposalCatalogue.CheckFramework(options.OutOfCourtFramework);

    public DateTimeOffset Now => clock.GetUtcNow();

    public DateOnly Today => LondonTime.DateOf(Now);

    public static string StreamId(string caseId) => $"police-case:{caseId}";

    /// <summary>The channel of an incident taken from a pack whose manifest does not say (a contact the office entered by hand).</summary>
    public const string NotKnown = "not-known";

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>
    /// Opens a case entered directly. An investigator who opens it becomes the officer in the case and
    /// the investigation starts at once; a contact handler's report waits for an investigator.
    /// </summary>
    public async Task<LoadedPoliceCase> OpenAsync(CurrentUser user, CrimeReportSubmission submission, CancellationToken ct = default)
    {
        var id = NewId();
        var opened = PoliceCaseRules.Open(submission, id, user.AgencyId, user.Email, user.DisplayName, Now, Offences, Disposals);
        var events = new List<IEvent> { opened };
        if (user.IsIn(Role.Investigator.Slug))
        {
            events.Add(new InvestigationStarted(user.Email, user.DisplayName, Now));
        }
        await store.Ledger.AppendAsync(user.AgencyId, StreamId(id), ExpectedVersion.NoStream, [.. events.Select(EventSerializer.ToNew)], user.Actor, ct);
        await TellHooksAsync(user.AgencyId, events, ct);
        return (await LoadAsync(user, id, user.Door, "case opened", ct))!;
    }

    /// <summary>
    /// Opens a case from an office's report shared with the force: the case keeps the report's id and
    /// the evidence pack's hashes, and each contact in the pack's manifest becomes an incident (its
    /// content reference is the contact id and the SHA-256 of the raw message). The manifest is read
    /// from the pack's ZIP and checked against the hash the office recorded. Null: no such report for this force.
    /// </summary>
    public async Task<LoadedPoliceCase?> OpenFromReportAsync(CurrentUser user, string reportId, CrimeReportSubmission submission, CancellationToken ct = default)
    {
        var events = await gateway.ReadStreamAsync(user, $"crime-report:{reportId}", user.Door, "open a case from an office's report", ct);
        var sent = events?.Select(EventSerializer.Deserialize).OfType<CrimeReportSent>().FirstOrDefault();
        if (sent is null || sent.PoliceAgencyId != user.AgencyId)
        {
            return null;
        }
        var link = new CrimeReportLink(sent.ReportId, sent.OfficeId, sent.CorrespondentName, sent.PackSha256, sent.ZipSha256, sent.ManifestSha256);
        var suspects = submission.Suspects.Count > 0 ? submission.Suspects : [SuspectFromName(sent.CorrespondentName)];
        var id = NewId();
        var opened = PoliceCaseRules.Open(submission with { Suspects = suspects, Summary = submission.Summary ?? sent.Summary, Report = link },
            id, user.AgencyId, user.Email, user.DisplayName, Now, Offences, Disposals);
        var list = new List<IEvent> { opened };
        if (user.IsIn(Role.Investigator.Slug))
        {
            list.Add(new InvestigationStarted(user.Email, user.DisplayName, Now));
        }
        foreach (var line in await ManifestAsync(sent, ct))
        {
            list.Add(new IncidentRecorded($"inc-{NewId()}", line.ReceivedAt, line.Channel, line.Sha256 == "-" ? $"contact:{line.ContactId}" : $"contact:{line.ContactId} sha256:{line.Sha256}",
                $"Contact {line.Number} in the evidence pack of report {sent.ReportId}", true, line.ContactId));
        }
        await store.Ledger.AppendAsync(user.AgencyId, StreamId(id), ExpectedVersion.NoStream, [.. list.Select(EventSerializer.ToNew)], user.Actor, ct);
        await TellHooksAsync(user.AgencyId, list, ct);
        return await LoadAsync(user, id, user.Door, "case opened from a report", ct);
    }

    private static PersonDetails SuspectFromName(string name)
    {
        var parts = name.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length switch
        {
            0 => new PersonDetails(null, "(not known)", null, null, null, null),
            1 => new PersonDetails(null, parts[0], null, null, null, null),
            _ => new PersonDetails(string.Join(' ', parts[..^1]), parts[^1], null, null, null, null),
        };
    }

    private sealed record ManifestLine(int Number, string ContactId, DateTimeOffset ReceivedAt, string Channel, string Sha256);

    private async Task<IReadOnlyList<ManifestLine>> ManifestAsync(CrimeReportSent sent, CancellationToken ct)
    {
        await using var zipStream = blobs.OpenRead(sent.ZipSha256)
            ?? throw new DomainRuleException("EvidencePackMissing", $"The evidence pack of report {sent.ReportId} is not in the blob store: ask the office to send it again.");
        using var buffer = new MemoryStream();
        await zipStream.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        using var zip = new ZipArchive(buffer, ZipArchiveMode.Read);
        var entry = zip.GetEntry("manifest.txt") ?? throw new DomainRuleException("EvidencePackHasNoManifest", "The evidence pack has no manifest.");
        string text;
        await using (var s = await entry.OpenAsync(ct))
        using (var reader = new StreamReader(s, new UTF8Encoding(false)))
        {
            text = await reader.ReadToEndAsync(ct);
        }
        if (Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))) != sent.ManifestSha256)
        {
            throw new DomainRuleException("EvidencePackAltered", "The evidence pack's manifest does not match the hash the office recorded when it sent the report.");
        }
        var lines = new List<ManifestLine>();
        foreach (var line in text.Split('\n'))
        {
            var f = line.TrimEnd('\r').Split('\t');
            if (f.Length == 5 && int.TryParse(f[0], out var n) && DateTimeOffset.TryParse(f[2], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            {
                // The manifest names the file: an .eml is an e-mail, a screenshot a post; a contact entered by hand has no file and its channel is not in the pack.
                var channel = f[3].EndsWith(".eml", StringComparison.Ordinal) ? ContactChannel.Email
                    : f[3].StartsWith("screenshots/", StringComparison.Ordinal) ? ContactChannel.SocialMedia
                    : NotKnown;
                lines.Add(new ManifestLine(n, f[1], at, channel, f[4]));
            }
        }
        return lines;
    }

    /// <summary>Reads a case through the audited gateway; null means 404 (missing, or another agency's).</summary>
    public async Task<LoadedPoliceCase?> LoadAsync(CurrentUser user, string caseId, ReadChannel channel, string purpose, CancellationToken ct = default)
    {
        var streamId = caseId.StartsWith("police-case:", StringComparison.Ordinal) ? caseId : StreamId(caseId);
        var events = await gateway.ReadStreamAsync(user, streamId, channel, purpose, ct);
        if (events is null || events.Count == 0 || events[0].Type != nameof(PoliceCaseOpened))
        {
            return null;
        }
        var c = PoliceCase.From(events.Select(EventSerializer.Deserialize).OfType<IEvent>());
        return new LoadedPoliceCase(streamId["police-case:".Length..], events[0].AgencyId, c, events[^1].StreamVersion);
    }

    /// <summary>Loads a case the user's own force owns, asks <paramref name="step"/> for its events and appends them at <paramref name="expectedVersion"/> (or the version read).</summary>
    public async Task<LoadedPoliceCase?> ChangeAsync(CurrentUser user, string caseId, long? expectedVersion, string purpose, Func<PoliceCase, IEnumerable<IEvent>> step, CancellationToken ct = default)
    {
        var loaded = await LoadAsync(user, caseId, user.Door, purpose, ct);
        if (loaded is null || loaded.OwnerAgencyId != user.AgencyId)
        {
            return null;
        }
        var events = step(loaded.Case).ToList();
        await store.Ledger.AppendAsync(loaded.OwnerAgencyId, StreamId(loaded.Id), expectedVersion ?? loaded.Version, [.. events.Select(EventSerializer.ToNew)], user.Actor, ct);
        await TellHooksAsync(loaded.OwnerAgencyId, events, ct);
        var c = PoliceCase.From([.. loaded.Case.Events, .. events]);
        return loaded with { Case = c, Version = (expectedVersion ?? loaded.Version) + events.Count };
    }

    private Task TellHooksAsync(string agencyId, IReadOnlyList<IEvent> events, CancellationToken ct) =>
        AfterRecord.TellAsync(hooks, hook => hook.AppendedAsync(agencyId, events, ct), log, $"a change to a police case of {agencyId}");

    public Task<LoadedPoliceCase?> StartInvestigationAsync(CurrentUser user, string caseId, long? expectedVersion, CancellationToken ct = default) =>
        ChangeAsync(user, caseId, expectedVersion, "start investigation", c => [c.StartInvestigation(user.Email, user.DisplayName, Now)], ct);

    public Task<LoadedPoliceCase?> RecordIncidentAsync(CurrentUser user, string caseId, long? expectedVersion, DateTimeOffset occurredAt, string? channel,
        string? contentReference, string? summary, bool againstVictim, CancellationToken ct = default) =>
        ChangeAsync(user, caseId, expectedVersion, "record incident",
            c => [c.RecordIncident($"inc-{NewId()}", occurredAt, channel ?? "", contentReference, summary, againstVictim, Now)], ct);

    public Task<LoadedPoliceCase?> RecordOffenceDecisionAsync(CurrentUser user, string caseId, long? expectedVersion, string? offence, string? decision, string? reasons, CancellationToken ct = default) =>
        ChangeAsync(user, caseId, expectedVersion, "offence decision", c => [c.RecordOffenceDecision(Offences, offence, decision, reasons, user.Actor, Now)], ct);

    public Task<LoadedPoliceCase?> RecordSuspectAccountAsync(CurrentUser user, string caseId, long? expectedVersion, int suspect, DateOnly on, string? how, string? account, string? notes, CancellationToken ct = default) =>
        ChangeAsync(user, caseId, expectedVersion, "suspect account", c => [c.RecordSuspectAccount(suspect, on, how, account, notes, user.Actor, Today)], ct);

    public Task<LoadedPoliceCase?> RecordVictimViewsAsync(CurrentUser user, string caseId, long? expectedVersion, DateOnly on, string? how, string? views, CancellationToken ct = default) =>
        ChangeAsync(user, caseId, expectedVersion, "victim's views", c => [c.RecordVictimViews(on, how, views, user.Actor, Today)], ct);

    public Task<LoadedPoliceCase?> ProposeDisposalAsync(CurrentUser user, string caseId, long? expectedVersion, int suspect, string? disposal, string? outcomeReason,
        IReadOnlyList<string>? conditions, bool evidentialStandardMet, string? reasons, CancellationToken ct = default) =>
        ChangeAsync(user, caseId, expectedVersion, "propose disposal",
            c => [c.ProposeDisposal(Disposals, Framework, $"prop-{NewId()}", suspect, disposal, outcomeReason, conditions, evidentialStandardMet, reasons, user.Actor, Now)], ct);

    /// <summary>A supervisor other than the proposer authorises; the intelligence entry about the suspect is recorded in the same append.</summary>
    public Task<LoadedPoliceCase?> AuthoriseDisposalAsync(CurrentUser user, string caseId, long? expectedVersion, string? reasons, CancellationToken ct = default) =>
        ChangeAsync(user, caseId, expectedVersion, "authorise disposal", c =>
        {
            var authorised = c.AuthoriseDisposal(Disposals, reasons, user.Actor, user.IsIn(Role.Supervisor.Slug), Now, Calendar);
            return [authorised, c.IntelligenceForDisposal(Disposals, $"intel-{NewId()}", user.Actor, Now, Today)];
        }, ct);

    public Task<LoadedPoliceCase?> RejectDisposalAsync(CurrentUser user, string caseId, long? expectedVersion, string? reasons, CancellationToken ct = default) =>
        ChangeAsync(user, caseId, expectedVersion, "send back disposal", c => [c.RejectDisposal(reasons, user.Actor, user.IsIn(Role.Supervisor.Slug), Now)], ct);

    public Task<LoadedPoliceCase?> InformVictimAsync(CurrentUser user, string caseId, long? expectedVersion, DateOnly on, string? how, string? what, DateOnly? nextUpdateDue, CancellationToken ct = default) =>
        ChangeAsync(user, caseId, expectedVersion, "victim informed", c => [c.InformVictim(Disposals, on, how, what, nextUpdateDue, user.Actor, Today)], ct);

    /// <summary>
    /// The stable contract's no-contact instruction: against the case's suspect, protecting the victim, her household and the
    /// reporting office, and any other offices named in <c>protectedOffices</c> (e.g. for a case entered directly).
    /// </summary>
    public async Task<LoadedPoliceCase?> IssueNoContactInstructionAsync(CurrentUser user, string caseId, long? expectedVersion, DateOnly issuedOn, int suspect = 0,
        IReadOnlyList<string>? protectedOffices = null, CancellationToken ct = default)
    {
        var offices = new List<string>();
        foreach (var slug in (protectedOffices ?? []).Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o.Trim()).Distinct(StringComparer.Ordinal))
        {
            var agency = await admin.FindAgencyAsync(slug, ct);
            if (agency is null || agency.Kind != AgencyKind.Office.ToSlug())
            {
                throw new DomainRuleException("ProtectedOfficeMustBeAnOffice", $"'{slug}' is not an office in Threshold: an instruction protects the offices whose contact is checked.");
            }
            offices.Add(agency.AgencyId);
        }
        return await ChangeAsync(user, caseId, expectedVersion, "no-contact instruction",
            c => [c.IssueNoContactInstruction($"nci-{NewId()}", user.AgencyId, suspect, issuedOn, Today, offices)], ct);
    }

    public Task<LoadedPoliceCase?> RecordStatutoryOrderAsync(CurrentUser user, string caseId, long? expectedVersion, string? kind, int suspect, DateOnly madeOn, DateOnly? endsOn,
        string? court, IReadOnlyList<string>? terms, CancellationToken ct = default) =>
        ChangeAsync(user, caseId, expectedVersion, "statutory order", c =>
        {
            var (order, instruction) = c.RecordStatutoryOrder($"ord-{NewId()}", user.AgencyId, kind, suspect, madeOn, endsOn, court, terms, user.Actor, Today);
            return [order, instruction];
        }, ct);

    /// <summary>An intelligence entry on demand, in the case's stream.</summary>
    public Task<LoadedPoliceCase?> RecordIntelligenceAsync(CurrentUser user, string caseId, long? expectedVersion, PersonDetails? subject, string? summary, string? source,
        string? assessment, string? handling, string? restrictions, CancellationToken ct = default) =>
        ChangeAsync(user, caseId, expectedVersion, "intelligence entry", c =>
        {
            c.Check(PoliceCaseStep.RecordIntelligence);
            return [PoliceCase.RecordIntelligence($"intel-{NewId()}", c.Opened.CaseId, subject ?? c.Suspect(0), summary, source, assessment, handling, restrictions, user.Actor, Now, "on demand", Today)];
        }, ct);

    /// <summary>An intelligence entry on demand with no case: its own stream <c>intelligence:&lt;id&gt;</c> in the force's chain.</summary>
    public async Task<IntelligenceEntryRecorded> RecordIntelligenceAsync(CurrentUser user, PersonDetails? subject, string? summary, string? source, string? assessment,
        string? handling, string? restrictions, CancellationToken ct = default)
    {
        var entry = PoliceCase.RecordIntelligence($"intel-{NewId()}", null, subject ?? new PersonDetails(null, null, null, null, null, null), summary, source, assessment,
            handling, restrictions, user.Actor, Now, "on demand", Today);
        await store.Ledger.AppendAsync(user.AgencyId, $"intelligence:{entry.EntryId}", ExpectedVersion.NoStream, [EventSerializer.ToNew(entry)], user.Actor, ct);
        return entry;
    }

    public Task<LoadedPoliceCase?> CloseAsync(CurrentUser user, string caseId, long? expectedVersion, string? reason, CancellationToken ct = default) =>
        ChangeAsync(user, caseId, expectedVersion, "close case", c => [c.Close(reason, user.Actor, Now)], ct);
}
