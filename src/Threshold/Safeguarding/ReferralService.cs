using Threshold.Access;
using Threshold.Domain;
using Threshold.Domain.Access;
using Threshold.Domain.Agencies;
using Threshold.Domain.Calendar;
using Threshold.Domain.Safeguarding;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;
using Threshold.Web;

namespace Threshold.Safeguarding;

/// <summary>
/// Runs on every new referral before its creation returns (the referral integrity check, in
/// Threshold.Integrity), and again when a relevant record changes. It never changes the referral.
/// </summary>
public interface IReferralIntegrityCheck
{
    Task<IReadOnlyList<IntegritySignal>> CheckAsync(ReferralReceived referral, CancellationToken ct);

    string Version { get; }
}

/// <summary>Told of every referral once it is recorded, with its signals (the police's further-contact alert, the disclosures); never changes the referral.</summary>
public interface IReferralRecordedHook
{
    Task RecordedAsync(ReferralReceived referral, IReadOnlyList<IntegritySignal> signals, CancellationToken ct);
}

/// <summary>Told of every step appended to a referral (closing the loop on a malicious finding); never changes the referral.</summary>
public interface IReferralStepHook
{
    Task AppendedAsync(LoadedReferral referral, IReadOnlyList<IEvent> events, CancellationToken ct);
}

/// <summary>A referral read through the gateway: its events folded, with the stream version for the next append.</summary>
public sealed record LoadedReferral(string Id, string OwnerAgencyId, Referral Referral, long Version, IReadOnlyList<StoredEvent> Events)
{
    public IReadOnlyList<IntegritySignal> Signals =>
        Events.Select(EventSerializer.Deserialize).OfType<ReferralIntegrityChecked>().LastOrDefault()?.Signals ?? [];
}

/// <summary>
/// The use cases of the children's services front door. Referrals live in the council's chain as
/// <c>referral:&lt;id&gt;</c>; a referral an agency sends is shared back with that agency in the same
/// append (RecordShared), so the referring police force reads the outcome through the shared record
/// while the council stays the record's owner and its retention rules apply.
/// </summary>
public sealed class ReferralService(ThresholdStore store, ReadGateway gateway, AdministrationQueries admin, TimeProvider clock, IReferralIntegrityCheck integrity, IEnumerable<IReferralRecordedHook> hooks,
    IEnumerable<IReferralStepHook> stepHooks, ILogger<ReferralService>? log = null)
{
    /// <summary>The rule name the API answers with 404 rather than 422.</summary>
    public const string LocalAuthorityNotFound = "LocalAuthorityNotFound";

    public static WorkingDayCalendar Calendar => WorkingDayCalendar.EnglandAndWales;

    public static string StreamId(string referralId) => $"referral:{referralId}";

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Checks that the slug names a children's services agency; 404-style and 422-style refusals.</summary>
    public async Task<AgencyRow> LocalAuthorityAsync(string? slug, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(slug))
        {
            throw new DomainRuleException("ReferralNeedsLocalAuthority", "Name the local authority (localAuthority: the council's agency id).");
        }
        var agency = await admin.FindAgencyAsync(slug.Trim(), ct) ?? throw new DomainRuleException(LocalAuthorityNotFound, $"There is no local authority '{slug.Trim()}'. Use the council's agency id.");
        if (agency.Kind != AgencyKind.ChildrenServices.ToSlug())
        {
            throw new DomainRuleException("LocalAuthorityMustBeChildrenServices", $"'{agency.Name}' is not a children's services agency: referrals go to the child's local authority.");
        }
        return agency;
    }

    /// <summary>Receives a referral: checked, integrity-checked and recorded (shared back with a referring agency) in one append.</summary>
    public async Task<ReferralReceived> SubmitAsync(ReferralSubmission submission, string actor, CancellationToken ct)
    {
        var council = await LocalAuthorityAsync(submission.LocalAuthority, ct);
        var id = Guid.NewGuid().ToString("n");
        var received = ReferralIntake.Receive(submission with { LocalAuthority = council.AgencyId }, id, Now, Calendar);
        var signals = await integrity.CheckAsync(received, ct);
        var events = new List<IEvent> { received, new ReferralIntegrityChecked(signals, integrity.Version) };
        if (received.Referrer.AgencyId is { } referring && referring != council.AgencyId)
        {
            events.Add(new RecordShared(StreamId(id), council.AgencyId, referring, "The referring agency receives the outcome of its referral."));
        }
        await store.Ledger.AppendAsync(council.AgencyId, StreamId(id), ExpectedVersion.NoStream, [.. events.Select(EventSerializer.ToNew)], actor, ct);
        await AfterRecord.TellAsync(hooks, hook => hook.RecordedAsync(received, signals, ct), log, $"referral {received.Reference}");
        return received;
    }

    /// <summary>Reads a referral through the audited gateway; null means 404 (missing or not this user's).</summary>
    public async Task<LoadedReferral?> LoadAsync(CurrentUser user, string referralId, ReadChannel channel, string purpose, CancellationToken ct)
    {
        var streamId = referralId.StartsWith("referral:", StringComparison.Ordinal) ? referralId : StreamId(referralId);
        // A restricted referral is loaded whole but shown only as its shell (annotation first, no
        // content) to anyone the restriction does not name; the pages and API check CanReadRestricted.
        var view = await gateway.LoadAsync(user, streamId, channel, purpose, ct);
        var events = view.Events;
        if (view.Decision == ReadDecision.NotFound || events.Count == 0 || events[0].Type != nameof(ReferralReceived))
        {
            return null;
        }
        var recorded = new Dictionary<IEvent, DateTimeOffset>(ReferenceEqualityComparer.Instance);
        var domain = new List<IEvent>();
        foreach (var e in events)
        {
            if (EventSerializer.Deserialize(e) is { } d)
            {
                domain.Add(d);
                recorded[d] = e.RecordedAtTime;
            }
        }
        var referral = Referral.From(domain, e => recorded[e]);
        return new LoadedReferral(streamId["referral:".Length..], events[0].AgencyId, referral, events[^1].StreamVersion, events);
    }

    /// <summary>Loads a referral the user's own council owns, for a change; another agency's (even shared) is 404.</summary>
    public async Task<LoadedReferral?> LoadForChangeAsync(CurrentUser user, string referralId, string purpose, ReadChannel channel, CancellationToken ct)
    {
        var loaded = await LoadAsync(user, referralId, channel, purpose, ct);
        return loaded is null || loaded.OwnerAgencyId != user.AgencyId ? null : loaded;
    }

    /// <summary>Appends one step's events at the version the caller read (stale → 409).</summary>
    public async Task AppendAsync(LoadedReferral loaded, CurrentUser user, long? expectedVersion, CancellationToken ct, params IEvent[] events)
    {
        await store.Ledger.AppendAsync(loaded.OwnerAgencyId, StreamId(loaded.Id), expectedVersion ?? loaded.Version, [.. events.Select(EventSerializer.ToNew)], user.Actor, ct);
        await AfterRecord.TellAsync(stepHooks, hook => hook.AppendedAsync(loaded, events, ct), log, $"a step on referral {loaded.Referral.Received.Reference}");
    }

    /// <summary>
    /// A manager tells another agency what the council decided it may know: recorded on the referral
    /// (<see cref="AgencyTold"/>) and delivered to the agency's chain as a notice carrying only those words
    /// and the reference. Only to an agency the council has an information-sharing agreement with.
    /// </summary>
    public async Task<AgencyTold> TellAgencyAsync(LoadedReferral loaded, CurrentUser user, string? agency, string? text, long? expectedVersion, CancellationToken ct)
    {
        var slug = agency?.Trim() ?? "";
        var target = slug.Length == 0 ? null : await admin.FindAgencyAsync(slug, ct);
        if (target is null || target.AgencyId == loaded.OwnerAgencyId)
        {
            throw new DomainRuleException("AgencyNoticeNeedsAgency", "Choose the agency to tell: one this council shares information with.");
        }
        var agreement = await admin.AgreementBetweenAsync(loaded.OwnerAgencyId, target.AgencyId, ct)
            ?? throw new DomainRuleException("AgencyNoticeNeedsAgreement", $"This council has no information-sharing agreement with {target.Name}: nothing can be shared with them.");
        var told = loaded.Referral.TellAgency(target.AgencyId, target.Name, text ?? "", user.Actor, IsManager(user), Now, agreement.AgreementId);
        await AppendAsync(loaded, user, expectedVersion, ct, told);
        var council = (await admin.FindAgencyAsync(loaded.OwnerAgencyId, ct))?.Name ?? loaded.OwnerAgencyId;
        var notice = new SafeguardingNoticeReceived($"sgn-{Guid.NewGuid():n}", loaded.OwnerAgencyId, council, loaded.Referral.Received.Reference, told.Text, Now);
        await store.Ledger.AppendAsync(target.AgencyId, $"safeguarding-notices:{target.AgencyId}", ExpectedVersion.Any, [EventSerializer.ToNew(notice)], user.Actor, ct);
        return told;
    }

    public static bool CanReadRestricted(CurrentUser user) => user.IsIn(Role.RecordsOfficer.Slug) || user.IsIn(Role.Auditor.Slug);

    public static bool IsManager(CurrentUser user) => user.IsIn(Role.Manager.Slug);
}
