using System.CommandLine.Parsing;

namespace Ipam.Cli.Commands;

internal static partial class ValueParsers
{
    /// <summary>The longest <c>--expires-in</c>: about a hundred years.</summary>
    private static readonly TimeSpan LongestDuration = TimeSpan.FromDays(36_500);

    /// <summary>A duration as a positive whole number and a unit: <c>90d</c>, <c>12h</c>, <c>30m</c>, <c>45s</c>.</summary>
    public static TimeSpan? Duration(ArgumentResult result)
    {
        var text = Single(result);
        if (text.Length >= 2 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) &&
            // In seconds first: a count too large for a TimeSpan is refused like any other, not an overflow.
            count is > 0 and <= 36_500L * 86_400 && text[^1] switch
            {
                'd' => count * 86_400,
                'h' => count * 3_600,
                'm' => count * 60,
                's' => count,
                _ => (long?)null,
            } is { } seconds && seconds <= (long)LongestDuration.TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        result.AddError($"{OptionName(result)} takes a number and a unit (d, h, m or s), e.g. 90d or 12h, up to 36500d; not {Messages.Quote(text)}.");
        return null;
    }
}
