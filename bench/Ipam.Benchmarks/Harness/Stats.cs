using System.Globalization;

namespace Ipam.Benchmarks.Harness;

/// <summary>Medians, percentiles and the number formats the tables use.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>Nearest-rank percentile (p in 0..100) of unsorted samples.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>A rate: no decimals from 100 up, one below.</summary>
    public static string Rate(double value) =>
        double.IsNaN(value) || double.IsInfinity(value) ? "-" : value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("F1", CultureInfo.InvariantCulture);

    public static string Ratio(double value) =>
        double.IsNaN(value) || double.IsInfinity(value) ? "-" : value.ToString(value >= 100 ? "F0" : value >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);

    public static string Times(double value) => double.IsNaN(value) || double.IsInfinity(value) ? "-" : Ratio(value) + "×";

    public static string Milliseconds(double seconds) =>
        double.IsNaN(seconds) ? "-" : (seconds * 1000).ToString(seconds >= 0.1 ? "F0" : seconds >= 0.01 ? "F1" : "F2", CultureInfo.InvariantCulture);

    public static string Microseconds(double seconds) =>
        double.IsNaN(seconds) ? "-" : (seconds * 1e6).ToString(seconds >= 1e-4 ? "F0" : "F1", CultureInfo.InvariantCulture);

    public static string Integer(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => (fraction * 100).ToString("F0", CultureInfo.InvariantCulture) + "%";
}
