using System.Text.Json;
using Threshold.Domain.Calendar;

namespace Threshold.Domain.Safeguarding;

/// <summary>Where a decision sends the referral next; the transition table works on routes, so outcome codes stay data.</summary>
public enum Route
{
    Closed,
    EarlyHelp,
    Assessment,
    StrategyDiscussion,
    Section47,
    Conference,
}

/// <summary>One coded decision or outcome from a nation's procedures.</summary>
public sealed record ProcedureCode(string Code, string Title, Route Route, string? Meaning = null, bool NeedsManagerConfirmation = false);

/// <summary>A statutory clock: so many working days from an event.</summary>
public sealed record WorkingDayClock(int WorkingDays, string From, string Title);

/// <summary>
/// A nation's safeguarding procedures as data (England's Working Together by default; Wales's own
/// procedures available): its clocks and its codes for decisions, outcomes and findings, with the
/// source named. Loaded from versioned files embedded in Threshold.Domain.
/// </summary>
public sealed record Procedures(
    string Nation,
    string Name,
    string Version,
    string Source,
    TimeOnly CloseOfBusiness,
    WorkingDayClock TriageClock,
    WorkingDayClock AssessmentClock,
    WorkingDayClock ConferenceClock,
    IReadOnlyList<ProcedureCode> TriageDecisions,
    IReadOnlyList<ProcedureCode> StrategyDecisions,
    IReadOnlyList<ProcedureCode> Section47Outcomes,
    IReadOnlyList<ProcedureCode> Findings)
{
    public const string DefaultNation = "england";

    public static Procedures England { get; } = Parse(DataFiles.Read("procedures-england.json"));

    public static Procedures Wales { get; } = Parse(DataFiles.Read("procedures-wales.json"));

    public static Procedures For(string? nation) => nation switch
    {
        null or "" or "england" => England,
        "wales" => Wales,
        _ => throw new DomainRuleException("NationMustBeKnown", $"There are no safeguarding procedures for '{nation}': use england or wales."),
    };

    public ProcedureCode TriageDecision(string? code) => Find(TriageDecisions, code, "TriageDecisionMustBeKnown", "triage decision");

    public ProcedureCode StrategyDecision(string? code) => Find(StrategyDecisions, code, "StrategyDecisionMustBeKnown", "strategy discussion decision");

    public ProcedureCode Section47Outcome(string? code) => Find(Section47Outcomes, code, "Section47OutcomeMustBeKnown", "section 47 outcome");

    public ProcedureCode Finding(string? code) => Find(Findings, code, "FindingMustBeKnown", "finding on the allegation");

    public string Title(string? code) =>
        TriageDecisions.Concat(StrategyDecisions).Concat(Section47Outcomes).Concat(Findings).FirstOrDefault(c => c.Code == code)?.Title ?? code ?? "";

    private static ProcedureCode Find(IReadOnlyList<ProcedureCode> codes, string? code, string rule, string what) =>
        codes.FirstOrDefault(c => string.Equals(c.Code, code, StringComparison.Ordinal))
        ?? throw new DomainRuleException(rule, $"'{code}' is not a {what} here. Choose one of: {string.Join(", ", codes.Select(c => c.Code))}.");

    public static Procedures Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var clocks = root.GetProperty("clocks");
        return new Procedures(
            Text(root, "nation"), Text(root, "name"), Text(root, "version"), Text(root, "source"),
            TimeOnly.ParseExact(Text(root, "closeOfBusiness"), "HH:mm"),
            Clock(clocks.GetProperty("triageDecision")),
            Clock(clocks.GetProperty("assessment")),
            Clock(clocks.GetProperty("initialConference")),
            Codes(root, "triageDecisions"), Codes(root, "strategyDecisions"), Codes(root, "section47Outcomes"), Codes(root, "findings"));
    }

    private static string Text(JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";

    private static WorkingDayClock Clock(JsonElement e) => new(e.GetProperty("workingDays").GetInt32(), Text(e, "from"), Text(e, "title"));

    private static List<ProcedureCode> Codes(JsonElement root, string name) =>
        [.. root.GetProperty(name).EnumerateArray().Select(e => new ProcedureCode(
            Text(e, "code"), Text(e, "title"),
            e.TryGetProperty("route", out var r) ? ParseRoute(r.GetString()) : Route.Closed,
            e.TryGetProperty("meaning", out var m) ? m.GetString() : null,
            e.TryGetProperty("needsManagerConfirmation", out var n) && n.GetBoolean()))];

    private static Route ParseRoute(string? route) => route switch
    {
        "closed" => Route.Closed,
        "early-help" => Route.EarlyHelp,
        "assessment" => Route.Assessment,
        "strategy-discussion" => Route.StrategyDiscussion,
        "section-47" => Route.Section47,
        "conference" => Route.Conference,
        _ => throw new InvalidDataException($"Unknown route '{route}' in a procedures file."),
    };

    /// <summary>Deadlines under these procedures, on the England and Wales working-day calendar.</summary>
    public DateTimeOffset DueAfter(WorkingDayClock clock, DateTimeOffset from, WorkingDayCalendar calendar) =>
        LondonTime.At(calendar.AddWorkingDays(LondonTime.DateOf(from), clock.WorkingDays), CloseOfBusiness);
}
