namespace Threshold.Domain.Calendar;

/// <summary>
/// Statutory clocks run on the local time of England and Wales (GMT/BST): a deadline is a local
/// day and hour, shown with its offset.
/// </summary>
public static class LondonTime
{
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    /// <summary>The instant a local day and time happens in London, with its offset.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        var offset = Zone.IsInvalidTime(local) ? Zone.GetUtcOffset(local.AddHours(1)) : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
