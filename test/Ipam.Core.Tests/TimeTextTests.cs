namespace Ipam.Core.Tests;

/// <summary>RFC 3339 times as <see cref="TimeText"/> reads them: any number of fractional digits, kept to the 100 ns tick.</summary>
public sealed class TimeTextTests
{
    private static readonly DateTimeOffset NewYear = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2027-01-01T00:00:00Z", 0)]
    [InlineData("2027-01-01T00:00:00.1Z", 1_000_000)]
    [InlineData("2027-01-01T00:00:00.123Z", 1_230_000)]
    [InlineData("2027-01-01T00:00:00.1234567Z", 1_234_567)]
    [InlineData("2027-01-01T00:00:00.12345678Z", 1_234_567)]
    [InlineData("2027-01-01T00:00:00.123456789Z", 1_234_567)]
    [InlineData("2027-01-01T00:00:00.123456789", 1_234_567)]
    [InlineData("2027-01-01T00:00:00.000000099z", 0)]
    [InlineData("2027-01-01T00:00:00.99999999999999999999Z", 9_999_999)]
    [InlineData("2027-01-01T02:00:00.123456789+02:00", 1_234_567)]
    [InlineData("2026-12-31 23:00:00.123456789012-01:00", 1_234_567)]
    public void TryParse_AnyNumberOfFractionalDigits_TruncatedToTheTick(string text, long ticks)
    {
        Assert.True(TimeText.TryParse(text, out var time), text);

        Assert.Equal(NewYear.AddTicks(ticks), time);
        Assert.Equal(TimeSpan.Zero, time.Offset);
    }

    [Theory]
    [InlineData("2027-01-01")]
    [InlineData("2027-01-01T00:00")]
    [InlineData("2027-01-01T00:00:00.")]
    [InlineData("2027-01-01T00:00:00.Z")]
    [InlineData("2027-01-01T00:00:00.12a3Z")]
    [InlineData("2027-01-01T00:00:00.123456789+0200")]
    [InlineData("2027-13-01T00:00:00.123456789Z")]
    [InlineData("2027-01-01T00:00:00\u0661Z")]
    [InlineData("1798761600")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_NotADateAndTime_Refused(string? text)
    {
        Assert.False(TimeText.TryParse(text, out _));
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59-01:00")]
    [InlineData("9999-12-31T23:00:00.123456789-14:00")]
    [InlineData("0001-01-01T00:00:00+00:01")]
    public void IsOutOfRange_ValidTimeThatUtcCannotHold_True(string text)
    {
        Assert.False(TimeText.TryParse(text, out _));

        Assert.True(TimeText.IsOutOfRange(text));
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("9999-12-31T23:59:59+01:00")]
    [InlineData("2027-02-30T00:00:00-01:00")]
    [InlineData("2027-01-01T00:00:00-15:00")]
    [InlineData("2027-01-01")]
    [InlineData("")]
    public void IsOutOfRange_InRangeOrNotATime_False(string text)
    {
        Assert.False(TimeText.IsOutOfRange(text));
    }
}
