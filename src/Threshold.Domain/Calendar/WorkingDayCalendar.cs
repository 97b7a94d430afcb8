using System.Collections.Frozen;
using System.Text.Json;
using PublicHoliday;

namespace Threshold.Domain.Calendar;

/// <summary>A one-off change to the bank holiday calendar, proclaimed by the Crown.</summary>
public sealed record ProclaimedHoliday(DateOnly Date, string Name);

/// <summary>
/// The proclaimed changes to the regular calendar: holidays added (jubilees, coronations, state
/// funerals) and regular ones removed (moved elsewhere). Versioned data with its source named.
/// </summary>
public sealed record HolidayOverrides(string Version, string Source, IReadOnlyList<ProclaimedHoliday> Added, IReadOnlyList<ProclaimedHoliday> Removed)
{
    public static HolidayOverrides None { get; } = new("none", "none", [], []);

    /// <summary>The override file shipped inside Threshold.Domain.</summary>
    public static HolidayOverrides EnglandAndWales { get; } = Parse(DataFiles.Read("england-wales-proclaimed-holidays.json"));

    public static HolidayOverrides Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        static List<ProclaimedHoliday> Read(JsonElement root, string name) => root.TryGetProperty(name, out var list)
            ? [.. list.EnumerateArray().Select(e => new ProclaimedHoliday(DateOnly.ParseExact(e.GetProperty("date").GetString()!, "yyyy-MM-dd"), e.GetProperty("name").GetString() ?? ""))]
            : [];
        return new HolidayOverrides(
            root.GetProperty("version").GetString() ?? "",
            root.GetProperty("source").GetString() ?? "",
            [.. Read(root, "added"), .. Read(root, "movedTo")],
            Read(root, "removed"));
    }
}

/// <summary>
/// Working days in England and Wales: Monday to Friday, less the bank holidays. The regular bank
/// holidays are computed by the maintained PublicHoliday package (England and Wales are one
/// jurisdiction there); proclaimed one-off holidays come from <see cref="HolidayOverrides"/>.
/// </summary>
public sealed class WorkingDayCalendar
{
    private readonly HolidayOverrides _overrides;
    private readonly FrozenSet<DateOnly> _added;
    private readonly FrozenSet<DateOnly> _removed;
    private readonly UKBankHoliday _bankHolidays = new(UKBankHoliday.UkCountries.England);
    private readonly Dictionary<int, FrozenSet<DateOnly>> _byYear = [];
    private readonly Lock _gate = new();

    public WorkingDayCalendar(HolidayOverrides overrides)
    {
        _overrides = overrides;
        _added = overrides.Added.Select(h => h.Date).ToFrozenSet();
        _removed = overrides.Removed.Select(h => h.Date).ToFrozenSet();
    }

    public static WorkingDayCalendar EnglandAndWales { get; } = new(HolidayOverrides.EnglandAndWales);

    public string Source => $"England and Wales bank holidays (PublicHoliday package) with proclaimed holidays version {_overrides.Version}";

    public bool IsBankHoliday(DateOnly day) => HolidaysIn(day.Year).Contains(day);

    public bool IsWorkingDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsBankHoliday(day);

    /// <summary>The bank holidays of one year, proclaimed ones included and moved ones excluded.</summary>
    public FrozenSet<DateOnly> HolidaysIn(int year)
    {
        lock (_gate)
        {
            if (!_byYear.TryGetValue(year, out var set))
            {
                set = _bankHolidays.PublicHolidays(year)
                    .Select(DateOnly.FromDateTime)
                    .Where(d => !_removed.Contains(d))
                    .Concat(_added.Where(d => d.Year == year))
                    .ToFrozenSet();
                _byYear[year] = set;
            }
            return set;
        }
    }

    /// <summary>The <paramref name="workingDays"/>-th working day after <paramref name="from"/> (which itself does not count).</summary>
    public DateOnly AddWorkingDays(DateOnly from, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var day = from;
        var counted = 0;
        while (counted < workingDays)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                counted++;
            }
        }
        return day;
    }

    /// <summary>Working days strictly after <paramref name="from"/> up to and including <paramref name="to"/>.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                count++;
            }
        }
        return count;
    }
}
