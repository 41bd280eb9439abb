using System.Globalization;
using System.Text.RegularExpressions;

namespace Ipam;

/// <summary>
/// Times as people and programs give them, in a query or on the command line: an RFC 3339 date and time
/// (<c>2099-05-01T12:00:00Z</c>, fractions and any offset allowed), and one without an offset read as UTC, never as
/// the local time of whichever machine reads it. Nothing looser (a date alone, a number, a month name).
/// </summary>
public static partial class TimeText
{
    public const string Example = "2099-05-01T12:00:00Z";

    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        return text is not null && TryParse(text.AsSpan(), out time);
    }

    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset time)
    {
        time = default;
        return DateTimePattern().IsMatch(text) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})?$")]
    private static partial Regex DateTimePattern();
}
