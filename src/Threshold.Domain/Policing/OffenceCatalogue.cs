// Records document only their less obvious fields.
#pragma warning disable CS1573

using System.Globalization;
using System.Text.Json;
using Threshold.Domain.Calendar;

namespace Threshold.Domain.Policing;

/// <summary>One limb of an offence, in force from <paramref name="Commenced"/> until <paramref name="Repealed"/> (exclusive).</summary>
public sealed record OffenceLimb(string Code, string Title, DateOnly Commenced, DateOnly? Repealed, string? RepealedBy, string Source)
{
    public bool InForceOn(DateOnly day) => day >= Commenced && (Repealed is not { } r || day < r);
}

/// <summary>
/// What must be shown. <c>course-of-conduct</c>, <c>communication</c> and <c>electronic-communication</c>
/// are assessed from the recorded incidents; <c>evidence</c> elements are for the officer to establish.
/// </summary>
public sealed record OffenceElement(string Kind, string? Text);

public sealed record Offence(string Code, string Title, string Provision, string Source, IReadOnlyList<string> Aliases, IReadOnlyList<OffenceLimb> Limbs, IReadOnlyList<OffenceElement> Elements)
{
    public IReadOnlyList<OffenceLimb> LimbsInForceOn(DateOnly day) => [.. Limbs.Where(l => l.InForceOn(day))];
}

/// <summary>One incident as the assessment sees it.</summary>
public sealed record IncidentFacts(DateTimeOffset OccurredAt, string Channel, bool AgainstVictim);

/// <summary>The advice for one candidate offence: what the recorded evidence supports and what is missing. It advises; the officer decides.</summary>
/// <param name="Possible">Some limb was in force on an incident's date and every element the incidents can show is shown; the rest is for the officer.</param>
public sealed record OffenceAssessment(string Code, string Title, string Provision, string Source, bool Possible, IReadOnlyList<string> LimbsInForce, IReadOnlyList<string> Supported, IReadOnlyList<string> Missing);

/// <summary>
/// The offence catalogue as data (Policing/Data/offences.json, versioned, each section cited with
/// each limb's commencement and repeal), plain aliases mapped to codes, the law in force on an
/// incident's date, and the advisory assessment of recorded incidents against each candidate.
/// </summary>
public sealed class OffenceCatalogue
{
    /// <summary>Channels that travel over a public electronic communications network (Communications Act 2003 s.127).</summary>
    public static readonly IReadOnlySet<string> ElectronicChannels = new HashSet<string>(StringComparer.Ordinal) { "email", "phone-call", "text-message", "social-media" };

    /// <summary>Channels that are communications sent to someone (letters, e-mails, calls, messages, posts).</summary>
    public static readonly IReadOnlySet<string> CommunicationChannels = new HashSet<string>(StringComparer.Ordinal) { "email", "phone-call", "text-message", "social-media", "letter" };

    public static OffenceCatalogue Default { get; } = Parse(DataFiles.Read("offences.json"));

    private OffenceCatalogue(string version, string source, int minimumOccasions, string courseOfConductSource, IReadOnlyList<Offence> offences)
    {
        Version = version;
        Source = source;
        MinimumOccasions = minimumOccasions;
        CourseOfConductSource = courseOfConductSource;
        Offences = offences;
    }

    public string Version { get; }

    public string Source { get; }

    /// <summary>Protection from Harassment Act 1997 s.7(3)(a): at least two occasions against one person.</summary>
    public int MinimumOccasions { get; }

    public string CourseOfConductSource { get; }

    public IReadOnlyList<Offence> Offences { get; }

    /// <summary>A catalogue code or a plain alias (harassment, stalking, malicious-communications, …); unknown → <c>OffenceMustBeKnown</c>.</summary>
    public Offence Resolve(string? codeOrAlias)
    {
        var key = codeOrAlias?.Trim().ToLowerInvariant() ?? "";
        return Offences.FirstOrDefault(o => o.Code == key || o.Aliases.Contains(key))
            ?? throw new DomainRuleException("OffenceMustBeKnown",
                $"'{codeOrAlias}' is not an offence in the catalogue. Use a code ({string.Join(", ", Offences.Select(o => o.Code))}) or an alias ({string.Join(", ", Offences.SelectMany(o => o.Aliases))}).");
    }

    public bool TryResolve(string? codeOrAlias, out Offence? offence)
    {
        var key = codeOrAlias?.Trim().ToLowerInvariant() ?? "";
        offence = Offences.FirstOrDefault(o => o.Code == key || o.Aliases.Contains(key));
        return offence is not null;
    }

    /// <summary>Every offence assessed against the incidents (candidates first: those with something supported).</summary>
    public IReadOnlyList<OffenceAssessment> AssessAll(IReadOnlyList<IncidentFacts> incidents) =>
        [.. Offences.Select(o => Assess(o, incidents)).OrderByDescending(a => a.Possible).ThenByDescending(a => a.Supported.Count)];

    public OffenceAssessment Assess(Offence offence, IReadOnlyList<IncidentFacts> incidents)
    {
        var supported = new List<string>();
        var missing = new List<string>();
        var automaticMissing = 0;
        var days = incidents.Select(i => LondonTime.DateOf(i.OccurredAt)).ToList();
        // The law in force on each incident's date: an incident before commencement or after repeal cannot count.
        var limbs = offence.Limbs.Where(l => days.Any(l.InForceOn)).Select(l => l.Code).ToList();
        var inForce = incidents.Where(i => offence.Limbs.Any(l => l.InForceOn(LondonTime.DateOf(i.OccurredAt)))).ToList();
        var outside = incidents.Count - inForce.Count;
        if (incidents.Count == 0)
        {
            missing.Add("no incidents recorded yet");
        }
        else if (inForce.Count == 0)
        {
            missing.Add($"none of the {incidents.Count} incidents falls when the offence was in force ({Span(offence)})");
        }
        else if (outside > 0)
        {
            missing.Add($"{outside} of the {incidents.Count} incidents fall outside the offence's period in force ({Span(offence)}) and cannot count towards it");
        }
        var repealedLimbs = offence.Limbs.Where(l => l.Repealed is { } r && days.Any(d => d >= r)).ToList();
        foreach (var limb in repealedLimbs)
        {
            missing.Add($"{limb.Title} was repealed from {limb.Repealed:d MMMM yyyy} ({limb.RepealedBy}): incidents on or after that date need another offence");
        }
        foreach (var element in offence.Elements)
        {
            switch (element.Kind)
            {
                case "course-of-conduct":
                    var occasions = inForce.Where(i => i.AgainstVictim).Select(i => i.OccurredAt).Distinct().OrderBy(t => t).ToList();
                    if (occasions.Count >= MinimumOccasions)
                    {
                        var span = (LondonTime.DateOf(occasions[^1]).DayNumber - LondonTime.DateOf(occasions[0]).DayNumber) + 1;
                        supported.Add($"{occasions.Count} occasions over {span} {(span == 1 ? "day" : "days")} against one person — course of conduct possible (s.7(3): at least {MinimumOccasions})");
                    }
                    else
                    {
                        automaticMissing++;
                        missing.Add($"{Occasions(occasions.Count)} against the victim recorded: a course of conduct needs conduct on at least {MinimumOccasions} occasions (s.7(3))");
                    }
                    break;
                case "communication":
                    var sent = inForce.Where(i => CommunicationChannels.Contains(i.Channel)).ToList();
                    if (sent.Count > 0)
                    {
                        supported.Add($"{sent.Count} {(sent.Count == 1 ? "communication" : "communications")} sent ({string.Join(", ", sent.Select(i => i.Channel).Distinct())})");
                    }
                    else
                    {
                        automaticMissing++;
                        missing.Add("no letter, e-mail, call, message or post recorded as an incident");
                    }
                    break;
                case "electronic-communication":
                    var electronic = inForce.Where(i => ElectronicChannels.Contains(i.Channel)).ToList();
                    if (electronic.Count > 0)
                    {
                        supported.Add($"{electronic.Count} sent over a public electronic communications network ({string.Join(", ", electronic.Select(i => i.Channel).Distinct())})");
                    }
                    else
                    {
                        automaticMissing++;
                        missing.Add("no message sent over a public electronic communications network (e-mail, call, text or social media) recorded");
                    }
                    break;
                default:
                    missing.Add($"evidence that {element.Text}");
                    break;
            }
        }
        return new OffenceAssessment(offence.Code, offence.Title, offence.Provision, offence.Source, limbs.Count > 0 && automaticMissing == 0, limbs, supported, missing);
    }

    private static string Occasions(int n) => n switch { 0 => "no occasions", 1 => "only 1 occasion", _ => $"{n} occasions" };

    private static string Span(Offence o)
    {
        var from = o.Limbs.Min(l => l.Commenced);
        var open = o.Limbs.Any(l => l.Repealed is null);
        return open ? $"from {from:d MMMM yyyy}" : $"{from:d MMMM yyyy} until {o.Limbs.Max(l => l.Repealed)!.Value:d MMMM yyyy}";
    }

    public static OffenceCatalogue Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var coc = root.GetProperty("courseOfConduct");
        var offences = root.GetProperty("offences").EnumerateArray().Select(o => new Offence(
            Text(o, "code"), Text(o, "title"), Text(o, "provision"), Text(o, "source"),
            [.. o.GetProperty("aliases").EnumerateArray().Select(a => a.GetString() ?? "")],
            [.. o.GetProperty("limbs").EnumerateArray().Select(l => new OffenceLimb(
                Text(l, "code"), Text(l, "title"), Date(Text(l, "commenced")),
                l.TryGetProperty("repealed", out var r) && r.ValueKind == JsonValueKind.String ? Date(r.GetString()!) : null,
                l.TryGetProperty("repealedBy", out var by) ? by.GetString() : null,
                Text(l, "source")))],
            [.. o.GetProperty("elements").EnumerateArray().Select(e => new OffenceElement(Text(e, "kind"), e.TryGetProperty("text", out var t) ? t.GetString() : null))])).ToList();
        return new OffenceCatalogue(Text(root, "version"), Text(root, "source"), coc.GetProperty("minimumOccasions").GetInt32(), Text(coc, "source"), offences);
    }

    private static string Text(JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
