using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Threshold.Access;
using Threshold.Domain.Agencies;
using Threshold.Domain.Harassment;
using Threshold.Harassment.Correspondents;
using Threshold.Harassment.Intake;
using Threshold.Mail.Import;
using Threshold.Storage.Harassment;

namespace Threshold.Harassment;

public sealed record AddressRequest(string? Line1, string? Town, string? Postcode);

public sealed record PersonRequest(string? GivenName, string? FamilyName, string? DateOfBirth, string? Email, string? Phone, AddressRequest? Address, string? DisplayName);

/// <summary>A manual entry: <c>{channel, receivedAt, sender: person, subject, body}</c>, with an optional base64 screenshot.</summary>
public sealed record ManualContactRequest(string? Channel, DateTimeOffset? ReceivedAt, PersonRequest? Sender, string? Subject, string? Body, string? Screenshot);

public sealed record ContactCreated(string Id, string CorrespondentId, IReadOnlyList<string> Labels, IReadOnlyList<string> Flags);

public sealed record CorrespondentSummary(string Id, string DisplayName, IReadOnlyList<string> Addresses, long ContactCount, IReadOnlyList<string> Labels, string? FirstContactAt, string? LastContactAt);

public sealed record LabelView(string Label, string Bucket, double Score, IReadOnlyList<string> Reasons, string? Review, string? ReviewNote);

public sealed record ContactView(
    string Id, string CorrespondentId, string Channel, string ReceivedAt, string? SenderName, string? SenderEmail, string? Subject, string Body,
    string? EvidenceSha256, string? ForwardedBy, string GroupingReason, IReadOnlyList<string> Labels, IReadOnlyList<string> Flags, IReadOnlyList<LabelView> Triage);

public sealed record MergeRequest(string? OtherId, string? Reason);

public sealed record SplitRequest(IReadOnlyList<string>? ContactIds, string? DisplayName, string? Reason);

public sealed record UndoRequest(string? Reason);

public sealed record PackRequest(DateOnly? From, DateOnly? To);

public sealed record ReportRequest(string? CorrespondentId, string? PoliceAgency, DateOnly? From, DateOnly? To, string? Summary);

public sealed record ReportView(string Id, string Office, string PoliceAgency, string CorrespondentId, string CorrespondentName, long ContactCount, string Summary,
    string Status, string? StatusNote, string SentAt, string UpdatedAt, string PackSha256, string ZipSha256, string ManifestSha256);

public sealed record StatusRequest(string? Status, string? Note);

public sealed record ReviewRequest(string? Decision, string? Note);

public sealed record StopRequest(DateTimeOffset? On, string? How);

public sealed record CorrespondentDetail(
    string Id, string DisplayName, IReadOnlyList<string> Addresses, long ContactCount, IReadOnlyList<string> Labels, string GroupingReason,
    string? AskedToStopOn, IReadOnlyList<ContactView> Contacts);

/// <summary>The office routes of the API (DESIGN.md, stable API contract): contacts in, correspondents out.</summary>
public static class HarassmentApi
{
    public static void Map(WebApplication app)
    {
        HarassmentSetup.MapAssets(app);
        var office = app.MapGroup("/api/v1/offices/{office}").RequireAuthorization("api").WithTags("Harassment log");

        office.MapPost("/contacts", AddContactAsync)
            .WithMetadata(new RequestSizeLimitAttribute(HarassmentSetup.MaxUploadBytes))
            .Accepts<ManualContactRequest>("application/json", "message/rfc822")
            .WithSummary("Log a contact: a raw e-mail (message/rfc822) or a manual entry (JSON)")
            .WithDescription("Returns {id, correspondentId, labels}; labels lists only the labels judged likely or possible. A forwarded e-mail is logged as from its original sender. 409 for a message already in the log, 422 for one that cannot be logged.");

        office.MapGet("/contacts", ListContactsAsync).WithSummary("The office's contacts, newest first, filtered by label, channel, date or words");

        office.MapGet("/correspondents", ListCorrespondentsAsync).WithSummary("The office's correspondents: {id, displayName, addresses, contactCount, labels}");

        office.MapGet("/correspondents/{id}", GetCorrespondentAsync).WithSummary("One correspondent with every contact and its triage labels and reasons");

        office.MapPost("/correspondents/{id}/merge", (string office, string id, MergeRequest request, HttpContext http, CaseworkerDecisions decisions, CancellationToken ct) =>
            DecideAsync(http, office, async user => new { mergeId = await decisions.MergeAsync(office, id, request.OtherId ?? "", request.Reason, user.Actor, ct) }))
            .WithSummary("Merge another correspondent into this one (undoable)");

        office.MapPost("/correspondents/{id}/split", (string office, string id, SplitRequest request, HttpContext http, CaseworkerDecisions decisions, CancellationToken ct) =>
            DecideAsync(http, office, async user =>
            {
                var (splitId, correspondentId) = await decisions.SplitAsync(office, id, request.ContactIds ?? [], request.DisplayName, request.Reason, user.Actor, ct);
                return new { splitId, correspondentId };
            }))
            .WithSummary("Split some contacts off into a new correspondent (undoable)");

        office.MapPost("/correspondents/{id}/evidence-pack", (string office, string id, PackRequest? request, HttpContext http, Evidence.EvidencePackBuilder packs, ReadGateway gateway, CancellationToken ct) =>
            DecideAsync(http, office, async user =>
            {
                var pack = await packs.BuildAsync(office, user.AgencyName, id, request?.From, request?.To, user.Actor, ct);
                await gateway.AuditListAsync(user, $"evidence pack {pack.PackId} for correspondent {id}", ReadChannel.Export, pack.ContactCount, ct);
                return new { packId = pack.PackId, contactCount = pack.ContactCount, manifestSha256 = pack.ManifestSha256, pdfSha256 = pack.PdfSha256, zipSha256 = pack.ZipSha256 };
            }))
            .WithSummary("Make the evidence pack (PDF and ZIP of the original messages) for a correspondent and date range; the manifest's SHA-256 goes on the ledger");

        office.MapPost("/reports", (string office, ReportRequest request, HttpContext http, Reports.PoliceReports reports, CancellationToken ct) =>
            DecideAsync(http, office, async user =>
            {
                var (id, pack) = await reports.SendAsync(office, user.AgencyName, request.CorrespondentId ?? "", request.PoliceAgency ?? "", request.From, request.To, request.Summary, user.Actor, ct);
                return new { id, status = CrimeReportStatus.Sent, contactCount = pack.ContactCount, manifestSha256 = pack.ManifestSha256, pdfSha256 = pack.PdfSha256, zipSha256 = pack.ZipSha256 };
            }))
            .WithSummary("Report a correspondent to a police force: their evidence pack arrives there as a shared crime report")
            .WithDescription("{correspondentId, policeAgency, from, to, summary}. Needs an information-sharing agreement with that force (else 422).");

        office.MapGet("/reports", async Task<IResult> (string office, HttpContext http, HarassmentQueries queries, ReadGateway gateway, CancellationToken ct) =>
        {
            var (user, refusal) = Caseworker(http, office);
            if (refusal is not null)
            {
                return refusal;
            }
            var rows = await queries.ReportsAsync(office, ct: ct);
            await gateway.AuditListAsync(user!, "reports to police", ReadChannel.Api, rows.Count, ct);
            return TypedResults.Ok(rows.Select(Report).ToList());
        }).WithSummary("The office's reports to police and their status");

        var police = app.MapGroup("/api/v1/police/reports").RequireAuthorization("api").WithTags("Harassment log");
        police.MapGet("", async Task<IResult> (HttpContext http, HarassmentQueries queries, ReadGateway gateway, CancellationToken ct) =>
        {
            var user = CurrentUser.From(http.User)!;
            if (user.AgencyKind != AgencyKind.Police.ToSlug())
            {
                return Problem(StatusCodes.Status404NotFound, "Not found", "Reports from offices are received by police forces.");
            }
            var rows = await queries.ReportsAsync(user.AgencyId, asPolice: true, ct);
            await gateway.AuditListAsync(user, "crime reports received from offices", ReadChannel.Api, rows.Count, ct);
            return TypedResults.Ok(rows.Select(Report).ToList());
        }).WithSummary("Crime reports offices sent to the caller's force");

        police.MapGet("/{id}/pack.{format}", async Task<IResult> (string id, string format, HttpContext http, HarassmentQueries queries, ReadGateway gateway, Storage.Blobs.BlobStore blobs, CancellationToken ct) =>
        {
            var user = CurrentUser.From(http.User)!;
            var report = await queries.FindReportAsync(id, ct);
            if (report is null || format is not ("pdf" or "zip") || !await gateway.AllowAsync(user, Reports.PoliceReports.StreamOf(id), ReadChannel.Export, $"evidence pack of report {id}", ct))
            {
                return Problem(StatusCodes.Status404NotFound, "Not found", $"There is no report '{id}' that you can see.");
            }
            var stream = blobs.OpenRead(format == "pdf" ? report.PackSha256 : report.ZipSha256);
            return stream is null
                ? Problem(StatusCodes.Status404NotFound, "Not found", "The pack's file is missing from the blob store.")
                : TypedResults.File(stream, format == "pdf" ? "application/pdf" : "application/zip", $"{id}.{format}");
        }).WithSummary("The evidence pack (pdf or zip) of a report shared with the caller's force");

        police.MapPost("/{id}/status", (string id, StatusRequest request, HttpContext http, Reports.PoliceReports reports, CancellationToken ct) =>
        {
            var user = CurrentUser.From(http.User)!;
            if (user.AgencyKind != AgencyKind.Police.ToSlug())
            {
                return Task.FromResult<IResult>(Problem(StatusCodes.Status404NotFound, "Not found", $"There is no report '{id}' that you can see."));
            }
            return Change();
            async Task<IResult> Change()
            {
                await reports.ChangeStatusAsync(user.AgencyId, id, request.Status ?? "", request.Note, user.Actor, ct);
                return TypedResults.Ok(new { id, status = request.Status });
            }
        }).WithSummary("Record the force's progress on a report: received, under-investigation, closed; the office sees it");

        office.MapPost("/regroupings/{id}/undo", (string office, string id, UndoRequest? request, HttpContext http, CaseworkerDecisions decisions, CancellationToken ct) =>
            DecideAsync(http, office, async user =>
            {
                await decisions.UndoAsync(office, id, request?.Reason, user.Actor, ct);
                return new { undone = id };
            }))
            .WithSummary("Undo a merge or a split");

        office.MapPost("/contacts/{id}/labels/{label}", (string office, string id, string label, ReviewRequest request, HttpContext http, CaseworkerDecisions decisions, CancellationToken ct) =>
            DecideAsync(http, office, async user =>
            {
                await decisions.ReviewLabelAsync(office, id, label, request.Decision ?? "", request.Note, user.Actor, ct);
                return new { contactId = id, label, decision = request.Decision };
            }))
            .WithSummary("Confirm or overturn a triage label on a contact");

        office.MapPost("/correspondents/{id}/asked-to-stop", (string office, string id, StopRequest request, HttpContext http, CaseworkerDecisions decisions, TimeProvider clock, CancellationToken ct) =>
            DecideAsync(http, office, async user =>
            {
                await decisions.AskedToStopAsync(office, id, request.On ?? clock.GetUtcNow(), request.How, user.Actor, ct);
                return new { correspondentId = id };
            }))
            .WithSummary("Record that the office asked the correspondent to stop: later contacts are labelled as repeated after being asked");
    }

    /// <summary>The caller, when they are a caseworker of this office; otherwise the answer to give (404 for another agency's office).</summary>
    internal static (CurrentUser? User, IResult? Refusal) Caseworker(HttpContext http, string office)
    {
        var user = CurrentUser.From(http.User)!;
        if (!string.Equals(user.AgencyId, office, StringComparison.Ordinal))
        {
            return (null, TypedResults.Problem(title: "Not found", detail: $"There is no office '{office}' that you can see.", statusCode: StatusCodes.Status404NotFound));
        }
        if (!user.IsIn(Role.Caseworker.Slug))
        {
            return (null, TypedResults.Problem(title: "Forbidden", detail: "Only the office's caseworkers keep its harassment log.", statusCode: StatusCodes.Status403Forbidden));
        }
        return (user, null);
    }

    private static async Task<IResult> AddContactAsync(string office, HttpContext http, HarassmentLog log, CancellationToken ct)
    {
        var (user, refusal) = Caseworker(http, office);
        if (refusal is not null)
        {
            return refusal;
        }
        var contentType = http.Request.ContentType ?? "";
        ContactResult result;
        await using var intake = await log.OpenIntakeAsync(office, user!.Actor, ct);
        if (contentType.StartsWith("message/rfc822", StringComparison.OrdinalIgnoreCase))
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, ct);
            if (buffer.Length == 0)
            {
                return Problem(StatusCodes.Status400BadRequest, "Empty message", "The request body is empty: send the raw e-mail.");
            }
            result = await intake.AddMessageAsync(MailSource.FromBytes(buffer.ToArray(), "API upload"), ct);
        }
        else if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            ManualContactRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<ManualContactRequest>(http.Request.Body, JsonSerializerOptions.Web, ct);
            }
            catch (JsonException e)
            {
                return Problem(StatusCodes.Status400BadRequest, "Bad JSON", $"The body is not the JSON of a contact: {e.Message}");
            }
            if (request is null)
            {
                return Problem(StatusCodes.Status400BadRequest, "Bad JSON", "Send {channel, receivedAt, sender, subject, body}.");
            }
            byte[]? screenshot = null;
            if (!string.IsNullOrEmpty(request.Screenshot))
            {
                try
                {
                    screenshot = Convert.FromBase64String(request.Screenshot);
                }
                catch (FormatException)
                {
                    return Problem(StatusCodes.Status400BadRequest, "Bad screenshot", "screenshot must be base64.");
                }
            }
            var p = request.Sender ?? new PersonRequest(null, null, null, null, null, null, null);
            result = await intake.AddManualAsync(new ManualContact(request.Channel ?? "", request.ReceivedAt,
                new ContactSender(p.DisplayName, p.Email, p.Phone, p.GivenName, p.FamilyName, p.DateOfBirth, p.Address?.Line1, p.Address?.Town, p.Address?.Postcode),
                request.Subject, request.Body, screenshot), ct);
        }
        else
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", "Send a raw e-mail as message/rfc822, or a manual entry as application/json.");
        }
        await intake.CompleteAsync("API", ct);
        return result.Outcome switch
        {
            ContactOutcome.Imported => TypedResults.Created($"/api/v1/offices/{office}/contacts/{result.ContactId}",
                new ContactCreated(result.ContactId!, result.CorrespondentId!, result.Labels ?? [], result.Flags ?? [])),
            ContactOutcome.Duplicate => Problem(StatusCodes.Status409Conflict, "Already in the log", $"This message is {result.Reason}."),
            _ => Problem(StatusCodes.Status422UnprocessableEntity, "Cannot be logged", $"The message was rejected: {result.Reason}."),
        };
    }

    private static async Task<IResult> ListContactsAsync(
        string office, string? label, string? channel, DateOnly? from, DateOnly? to, string? q, HttpContext http, HarassmentQueries queries, ReadGateway gateway, CancellationToken ct)
    {
        var (user, refusal) = Caseworker(http, office);
        if (refusal is not null)
        {
            return refusal;
        }
        var rows = await queries.ContactsAsync(office, new ContactFilter(null, label, channel, Day(from), Day(to?.AddDays(1)), q), ct);
        await gateway.AuditListAsync(user!, "harassment contacts", ReadChannel.Api, rows.Count, ct);
        var labels = (await queries.LabelsAsync([.. rows.Select(r => r.ContactId)], ct)).ToLookup(l => l.ContactId);
        return TypedResults.Ok(rows.Select(r => View(r, labels[r.ContactId])).ToList());
    }

    private static async Task<IResult> ListCorrespondentsAsync(string office, HttpContext http, HarassmentQueries queries, ReadGateway gateway, CancellationToken ct)
    {
        var (user, refusal) = Caseworker(http, office);
        if (refusal is not null)
        {
            return refusal;
        }
        var rows = await queries.CorrespondentsAsync(office, ct);
        await gateway.AuditListAsync(user!, "harassment correspondents", ReadChannel.Api, rows.Count, ct);
        return TypedResults.Ok(rows.Select(Summary).ToList());
    }

    private static async Task<IResult> GetCorrespondentAsync(string office, string id, HttpContext http, HarassmentQueries queries, ReadGateway gateway, CancellationToken ct)
    {
        var (user, refusal) = Caseworker(http, office);
        if (refusal is not null)
        {
            return refusal;
        }
        var row = await queries.FindCorrespondentAsync(office, id, ct);
        if (row is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Not found", $"There is no correspondent '{id}' in this office's log.");
        }
        var contacts = await queries.ContactsAsync(office, new ContactFilter(CorrespondentId: id, Limit: 10_000), ct);
        await gateway.AuditListAsync(user!, $"harassment correspondent {id}", ReadChannel.Api, contacts.Count, ct);
        var labels = (await queries.LabelsAsync([.. contacts.Select(c => c.ContactId)], ct)).ToLookup(l => l.ContactId);
        return TypedResults.Ok(new CorrespondentDetail(row.CorrespondentId, row.DisplayName, row.AddressList, row.ContactCount, Ordered(row.LabelList),
            row.CreatedReason, row.AskedToStopOn, [.. contacts.Select(c => View(c, labels[c.ContactId]))]));
    }

    private static async Task<IResult> DecideAsync<T>(HttpContext http, string office, Func<CurrentUser, Task<T>> decide)
    {
        var (user, refusal) = Caseworker(http, office);
        return refusal ?? TypedResults.Ok(await decide(user!));
    }

    internal static ReportView Report(ReportRow r) =>
        new(r.ReportId, r.OfficeId, r.PoliceAgencyId, r.CorrespondentId, r.CorrespondentName, r.ContactCount, r.Summary, r.Status, r.StatusNote, r.SentAt, r.UpdatedAt,
            r.PackSha256, r.ZipSha256, r.ManifestSha256);

    internal static CorrespondentSummary Summary(CorrespondentRow r) =>
        new(r.CorrespondentId, r.DisplayName, r.AddressList, r.ContactCount, Ordered(r.LabelList), r.FirstReceived, r.LastReceived);

    internal static ContactView View(ContactRow r, IEnumerable<LabelRow> labels) =>
        new(r.ContactId, r.CorrespondentId, r.Channel, r.ReceivedAt, r.SenderName, r.SenderEmail, r.Subject, r.Body, r.RawSha256, r.ForwardedBy,
            r.GroupingReason, r.LabelList, r.FlagList,
            [.. labels.OrderBy(l => Order(l.Label)).Select(l => new LabelView(l.Label, l.Bucket,
                double.Parse(l.Score, System.Globalization.CultureInfo.InvariantCulture), l.ReasonList, l.Review, l.ReviewNote))]);

    internal static IReadOnlyList<string> Ordered(IEnumerable<string> labels) => [.. labels.Distinct().OrderBy(Order)];

    private static int Order(string label) => TriageLabels.All.Select(l => l.Slug).ToList().IndexOf(label);

    private static DateTimeOffset? Day(DateOnly? day) => day is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    internal static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(title: title, detail: detail, statusCode: status);
}
