using Ipam.Api.Subnets;

namespace Ipam.Cli.Output;

/// <summary>How values look in tables.</summary>
internal static class Formats
{
    public const string Missing = "-";

    /// <summary>Free text from the server, escaped whole (line breaks too), or <see cref="Missing"/>.</summary>
    public static string Text(string? value) => string.IsNullOrEmpty(value) ? Missing : TerminalText.Escape(value);

    /// <summary>Values shown one per line in a table cell.</summary>
    public static string Lines(IEnumerable<string> values) => string.Join('\n', values);

    /// <summary>Exact counts with thousands separators; IPv6 counts exceed 2^64.</summary>
    public static string Count(UInt128 value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The share of <paramref name="total"/> that <paramref name="part"/> is, e.g. <c>12.5%</c> or <c>&lt;0.01%</c>.</summary>
    public static string Percent(UInt128 part, UInt128 total)
    {
        if (total == UInt128.Zero)
        {
            return Missing;
        }

        var percent = (double)part / (double)total * 100;
        return percent is > 0 and < 0.01
            ? "<0.01%"
            : percent.ToString("0.##", CultureInfo.InvariantCulture) + "%";
    }

    public static string Time(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? Missing;

    public static string Pool(PoolDto pool) => pool.Start == pool.End ? Text(pool.Start) : $"{pool.Start}-{pool.End}";

    public static string Pools(IReadOnlyList<PoolDto> pools) =>
        pools.Count == 0 ? "(none)" : Lines(pools.Select(Pool));
}
