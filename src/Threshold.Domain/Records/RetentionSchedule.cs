using System.Text.Json;
using Threshold.Domain.Calendar;

namespace Threshold.Domain.Records;

/// <summary>How long one type of record is kept, and from what.</summary>
public sealed record RetentionRule(string Type, string Title, int Years, string Trigger, string TriggerTitle)
{
    public string Describe() => $"{Title}: kept {TriggerTitle}";
}

/// <summary>
/// Retention periods as data (record type → period and trigger), with their source named. Nothing
/// is removed before its period ends; the schedule is shown on the record and cited when anyone
/// tries to delete one.
/// </summary>
public sealed record RetentionSchedule(string Version, string Source, IReadOnlyList<RetentionRule> Rules, int SubjectAccessMonths)
{
    public static RetentionSchedule Default { get; } = Parse(DataFiles.Read("retention-schedule.json"));

    public RetentionRule For(string type) => Rules.FirstOrDefault(r => r.Type == type)
        ?? throw new DomainRuleException("RetentionTypeMustBeKnown", $"No retention rule for record type '{type}'.");

    /// <summary>The day a subject access request must be answered by: one calendar month (UK GDPR Art. 12(3)).</summary>
    public DateOnly SubjectAccessDue(DateOnly received) => received.AddMonths(SubjectAccessMonths);

    public static RetentionSchedule Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        return new RetentionSchedule(
            root.GetProperty("version").GetString() ?? "",
            root.GetProperty("source").GetString() ?? "",
            [.. root.GetProperty("recordTypes").EnumerateArray().Select(e => new RetentionRule(
                e.GetProperty("type").GetString() ?? "", e.GetProperty("title").GetString() ?? "",
                e.GetProperty("years").GetInt32(), e.GetProperty("trigger").GetString() ?? "", e.GetProperty("triggerTitle").GetString() ?? ""))],
            root.GetProperty("subjectAccessMonths").GetInt32());
    }
}
