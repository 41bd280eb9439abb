using System.Globalization;
using System.Text.RegularExpressions;

namespace Ipam.Benchmarks.Harness;

/// <summary>What one pgbench run reports: its rate, its transaction counts, and latencies from its per-transaction log.</summary>
internal sealed partial record PgbenchResult(double Tps, long Processed, long Failed, double LatencyAverageMilliseconds)
{
    /// <summary>Per-transaction latencies in seconds (from <c>--log</c>), empty when not logged.</summary>
    public IReadOnlyList<double> Latencies { get; init; } = [];

    /// <summary>Reads pgbench's summary; throws when it has no <c>tps</c> line (pgbench failed, or printed something else).</summary>
    public static PgbenchResult Parse(string output)
    {
        var tps = TpsLine().Match(output);
        if (!tps.Success)
        {
            throw new FormatException($"pgbench printed no tps line: {output}");
        }

        return new PgbenchResult(
            Number(tps),
            long.Parse(Find(ProcessedLine(), output) ?? "0", CultureInfo.InvariantCulture),
            long.Parse(Find(FailedLine(), output) ?? "0", CultureInfo.InvariantCulture),
            Find(LatencyLine(), output) is { } latency ? double.Parse(latency, CultureInfo.InvariantCulture) : double.NaN);
    }

    /// <summary>
    /// Latencies in seconds from pgbench's per-transaction log lines (<c>client_id transaction_no time script_no
    /// time_epoch time_us</c>, time in microseconds); failed transactions (time "failed" or "skipped") are left out.
    /// </summary>
    public static IEnumerable<double> LogLatencies(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 3 && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds))
            {
                yield return microseconds / 1e6;
            }
        }
    }

    private static double Number(Match match) => double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);

    private static string? Find(Regex pattern, string output) => pattern.Match(output) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"^tps = ([0-9.]+)", RegexOptions.Multiline)]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"^number of transactions actually processed: ([0-9]+)", RegexOptions.Multiline)]
    private static partial Regex ProcessedLine();

    [GeneratedRegex(@"^number of failed transactions: ([0-9]+)", RegexOptions.Multiline)]
    private static partial Regex FailedLine();

    [GeneratedRegex(@"^latency average = ([0-9.]+) ms", RegexOptions.Multiline)]
    private static partial Regex LatencyLine();
}
