using Threshold.Domain.Calendar;
using Threshold.Domain.Safeguarding;

namespace Threshold.Safeguarding;

/// <summary>The triage clock: one working day from receipt, on the England and Wales calendar, in London time.</summary>
public sealed class WorkingDayClockTests
{
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.EnglandAndWales;

    private static DateTimeOffset TriageDue(string receivedLocal) =>
        Procedures.England.DueAfter(Procedures.England.TriageClock, DateTimeOffset.Parse(receivedLocal, System.Globalization.CultureInfo.InvariantCulture), Calendar);

    [Fact]
    public void Referral_on_a_Tuesday_is_due_at_close_of_business_on_Wednesday() =>
        Assert.Equal(DateTimeOffset.Parse("2026-02-11T17:00:00+00:00"), TriageDue("2026-02-10T09:30:00+00:00"));

    [Fact]
    public void Referral_on_a_Friday_afternoon_is_due_on_Monday() =>
        Assert.Equal(DateTimeOffset.Parse("2026-02-16T17:00:00+00:00"), TriageDue("2026-02-13T16:45:00+00:00"));

    [Fact]
    public void Referral_on_a_Saturday_is_due_on_Monday() =>
        Assert.Equal(DateTimeOffset.Parse("2026-02-16T17:00:00+00:00"), TriageDue("2026-02-14T11:00:00+00:00"));

    [Fact]
    public void Christmas_Eve_referral_skips_Christmas_the_weekend_and_the_substitute_Boxing_Day()
    {
        // 25 December 2026 is a Friday; Boxing Day falls on Saturday, so Monday 28th is the substitute day.
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2026, 12, 28)));
        Assert.Equal(DateTimeOffset.Parse("2026-12-29T17:00:00+00:00"), TriageDue("2026-12-24T10:00:00+00:00"));
    }

    [Fact]
    public void Easter_referral_skips_Good_Friday_and_Easter_Monday_and_is_shown_in_summer_time()
    {
        var due = TriageDue("2026-04-02T15:00:00+01:00");
        Assert.Equal(new DateTimeOffset(2026, 4, 7, 17, 0, 0, TimeSpan.FromHours(1)), due);
        Assert.Equal(TimeSpan.FromHours(1), due.Offset);
    }

    [Fact]
    public void The_coronation_bank_holiday_of_2023_is_not_a_working_day() =>
        Assert.Equal(new DateTimeOffset(2023, 5, 9, 17, 0, 0, TimeSpan.FromHours(1)), TriageDue("2023-05-05T12:00:00+01:00"));

    [Fact]
    public void The_2022_spring_bank_holiday_moved_for_the_jubilee()
    {
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2022, 5, 30)));
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2022, 6, 2)));
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2022, 6, 3)));
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2022, 9, 19)));
    }

    [Fact]
    public void A_newly_proclaimed_holiday_in_the_override_file_moves_the_deadline()
    {
        var overrides = HolidayOverrides.Parse("""
            { "version": "test", "source": "a proclamation in a test",
              "added": [ { "date": "2031-03-14", "name": "A proclaimed holiday" } ] }
            """);
        var withProclamation = new WorkingDayCalendar(overrides);
        var received = DateTimeOffset.Parse("2031-03-13T10:00:00+00:00");
        var p = Procedures.England;
        Assert.Equal(new DateOnly(2031, 3, 14), LondonTime.DateOf(p.DueAfter(p.TriageClock, received, new WorkingDayCalendar(HolidayOverrides.None))));
        Assert.Equal(new DateOnly(2031, 3, 17), LondonTime.DateOf(p.DueAfter(p.TriageClock, received, withProclamation)));
    }

    [Fact]
    public void Shipped_override_file_names_its_source() =>
        Assert.Contains("Banking and Financial Dealings Act 1971", HolidayOverrides.EnglandAndWales.Source, StringComparison.Ordinal);

    [Fact]
    public void Assessment_is_due_45_working_days_from_the_referral_in_England_and_42_in_Wales()
    {
        var received = DateTimeOffset.Parse("2026-01-05T10:00:00+00:00"); // a Monday; no bank holidays until Good Friday
        var england = Procedures.England.DueAfter(Procedures.England.AssessmentClock, received, Calendar);
        var wales = Procedures.Wales.DueAfter(Procedures.Wales.AssessmentClock, received, Calendar);
        Assert.Equal(new DateOnly(2026, 3, 9), LondonTime.DateOf(england));
        Assert.Equal(new DateOnly(2026, 3, 4), LondonTime.DateOf(wales));
        Assert.Equal(45, Calendar.WorkingDaysBetween(new DateOnly(2026, 1, 5), LondonTime.DateOf(england)));
    }
}
