using System.Globalization;

namespace Ipam.Tokens;

/// <summary>
/// How long a token lives, as <c>ipam token create --expires-in</c> and <c>POST /v1/tokens</c>'s <c>expires_in</c> take it:
/// a positive whole number and a unit, <c>90d</c>, <c>12h</c>, <c>30m</c> or <c>45s</c>, up to <see cref="Longest"/>.
/// </summary>
public static class TokenLifetime
{
    /// <summary>The longest lifetime: about a hundred years.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(36_500);

    /// <summary>What a lifetime looks like, for error messages.</summary>
    public const string Form = "a number and a unit (d, h, m or s), e.g. 90d or 12h, up to 36500d";

    public static bool TryParse(string? text, out TimeSpan lifetime)
    {
        lifetime = default;
        if (text is not { Length: >= 2 } ||
            !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ||
            // In seconds first: a count too large for a TimeSpan is refused like any other, not an overflow.
            count is <= 0 or > 36_500L * 86_400)
        {
            return false;
        }

        long? seconds = text[^1] switch
        {
            'd' => count * 86_400,
            'h' => count * 3_600,
            'm' => count * 60,
            's' => count,
            _ => null,
        };
        if (seconds is not { } total || total > (long)Longest.TotalSeconds)
        {
            return false;
        }

        lifetime = TimeSpan.FromSeconds(total);
        return true;
    }
}
