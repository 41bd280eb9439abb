using System.Globalization;
using System.Text.RegularExpressions;

namespace Ipam;

/// <summary>
/// Times as people and programs give them, in a query or on the command line: an RFC 3339 date and time
/// (<c>2099-05-01T12:00:00Z</c>, fractions and any offset allowed), and one without an offset read as UTC, never as
/// the local time of whichever machine reads it. Nothing looser (a date alone, a number, a month name).
/// </summary>
/// <remarks>
/// RFC 3339 puts no limit on the digits of a fraction (Go's RFC3339Nano writes nine). Times are kept to the 100 ns
/// tick, seven digits: the digits beyond it are dropped, not rounded, so that a time never moves past a later one.
/// </remarks>
public static partial class TimeText
{
    public const string Example = "2099-05-01T12:00:00Z";

    /// <summary>The times that can be held, once converted to UTC.</summary>
    public const string Range = "from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z";

    /// <summary>The fixed-length offset at the end of a time, such as <c>-01:00</c>.</summary>
    private const int OffsetChars = 6;

    /// <summary>The fractional digits a tick (100 ns) holds.</summary>
    private const int TickDigits = 7;

    /// <summary>A time as the API writes it: UTC, to the millisecond (<c>2099-05-01T12:00:00.000Z</c>).</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        return text is not null && TryParse(text.AsSpan(), out time);
    }

    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset time)
    {
        time = default;
        if (!DateTimePattern().IsMatch(text))
        {
            return false;
        }

        // The pattern allows a '.' only before the fraction.
        var point = text.IndexOf('.');
        var digits = point < 0 ? 0 : text[(point + 1)..].IndexOfAnyExceptInRange('0', '9') is var end and >= 0 ? end : text.Length - point - 1;
        return digits <= TickDigits
            ? Parse(text, out time)
            : Parse(string.Concat(text[..(point + 1 + TickDigits)], text[(point + 1 + digits)..]), out time);
    }

    /// <summary>
    /// Whether <paramref name="text"/> is a valid date and time with a valid offset that takes it out of
    /// <see cref="Range"/> once converted to UTC (<c>9999-12-31T23:59:59-01:00</c>), and so is refused.
    /// </summary>
    public static bool IsOutOfRange(ReadOnlySpan<char> text) =>
        DateTimePattern().IsMatch(text) && text.Length > OffsetChars && text[^OffsetChars] is '+' or '-' && !TryParse(text, out _) &&
        TryParse(text[..^OffsetChars], out _) && TryParse(string.Concat("2000-01-01T00:00:00", text[^OffsetChars..]), out _);

    private static bool Parse(ReadOnlySpan<char> text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})?$")]
    private static partial Regex DateTimePattern();
}
