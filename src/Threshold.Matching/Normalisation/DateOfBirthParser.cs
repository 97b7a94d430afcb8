using System.Globalization;

namespace Threshold.Matching.Normalisation;

/// <summary>
/// A parsed date of birth. <see cref="Digits"/> keeps the eight digits yyyymmdd even when they do
/// not form a calendar date (a mistyped "19651313" still agrees in part with "19651303").
/// </summary>
public readonly record struct ParsedDate(int Year, int Month, int Day, string Digits, bool DayMonthSwapped)
{
    public static ParsedDate None { get; } = new(0, 0, 0, "", false);

    public bool IsPresent => Digits.Length == 8;

    /// <summary>True when year, month and day make a real calendar date.</summary>
    public bool IsCalendarDate =>
        IsPresent && Year is >= 1 and <= 9999 && Month is >= 1 and <= 12 && Day >= 1 && Day <= DateTime.DaysInMonth(Year, Month);

    /// <summary>The date as yyyymmdd in one integer (0 when absent).</summary>
    public int Packed => IsPresent ? (Year * 10000) + (Month * 100) + Day : 0;

    public string Iso => IsPresent ? string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}-{Day:D2}") : "";
}

/// <summary>Parses dates of birth in <c>yyyymmdd</c>, <c>yyyy-mm-dd</c> and <c>dd/mm/yyyy</c> forms.</summary>
public static class DateOfBirthParser
{
    /// <summary>
    /// Parses <paramref name="text"/>. A date written day-first whose "month" is over 12 while its
    /// "day" is not (an American mm/dd/yyyy in a UK form) is read with day and month swapped, and
    /// says so in <see cref="ParsedDate.DayMonthSwapped"/>. Unreadable text gives <see cref="ParsedDate.None"/>.
    /// </summary>
    public static ParsedDate Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ParsedDate.None;
        }

        var s = text.Trim();
        var tIndex = s.IndexOf('T', StringComparison.Ordinal);
        if (tIndex == 10)
        {
            s = s[..10];
        }

        if (s.Length == 8 && IsAllDigits(s))
        {
            return Build(Int(s, 0, 4), Int(s, 4, 2), Int(s, 6, 2));
        }

        var parts = s.Split(['-', '/', '.', ' '], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || !parts.All(IsAllDigits))
        {
            return ParsedDate.None;
        }

        if (parts[0].Length == 4)
        {
            // yyyy-mm-dd
            return Build(Int(parts[0]), Int(parts[1]), Int(parts[2]));
        }

        if (parts[2].Length == 4 && parts[0].Length <= 2 && parts[1].Length <= 2)
        {
            // dd/mm/yyyy, the UK order
            return Build(Int(parts[2]), Int(parts[1]), Int(parts[0]));
        }

        return ParsedDate.None;
    }

    private static ParsedDate Build(int year, int month, int day)
    {
        var swapped = false;
        if (month > 12 && day is >= 1 and <= 12)
        {
            (month, day) = (day, month);
            swapped = true;
        }

        if (year is < 0 or > 9999 || month is < 0 or > 99 || day is < 0 or > 99)
        {
            return ParsedDate.None;
        }

        var digits = string.Create(CultureInfo.InvariantCulture, $"{year:D4}{month:D2}{day:D2}");
        return new ParsedDate(year, month, day, digits, swapped);
    }

    private static bool IsAllDigits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    private static int Int(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);

    private static int Int(string s, int start, int length) =>
        int.Parse(s.AsSpan(start, length), NumberStyles.None, CultureInfo.InvariantCulture);
}
