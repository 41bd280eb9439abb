using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>The table and the goal of a pg-scale run: per path, pgbench and then each case, medians over the rounds.</summary>
internal sealed class PgScaleSummary(IReadOnlyList<PgScalePoint> points, IReadOnlyDictionary<string, List<double>> latencies)
{
    public void Write(WorkloadReport report, string goal, IReadOnlyList<string> setups)
    {
        var table = report.AddTable("Allocations over HTTP vs pgbench's single-row INSERTs, same clients, same cluster",
            "path", "client", "per second", "vs pgbench", "p50 ms", "p99 ms", "failures", "duplicates", "rows − acknowledged", "WAL bytes per row", "write xacts per row", "CPU here µs per row", "Npgsql commands per row",
            "backends active", "waiting for the advisory lock");
        var verdicts = new List<(string Text, bool Met)>();
        foreach (var setup in setups)
        {
            var pgbench = Median(setup, PgScaleRun.PgbenchKind);
            foreach (var kind in new[] { PgScaleRun.PgbenchKind }.Concat(PgScaleWorkload.Cases.Select(c => c.Label)))
            {
                var of = points.Where(p => p.Setup == setup && p.Kind == kind).ToList();
                if (of.Count == 0)
                {
                    continue;
                }

                var rate = Median(setup, kind);
                var ratio = rate / pgbench;
                var failed = of.Sum(p => p.Failed);
                var duplicates = of.Sum(p => p.Duplicates);
                var acknowledged = of.Sum(p => p.Acknowledged);
                var samples = latencies.GetValueOrDefault(PgScaleRun.Key(setup, kind)) ?? [];
                var kinds = of.SelectMany(p => p.FailureKinds).GroupBy(k => k.Key).ToDictionary(g => g.Key, g => g.Sum(k => k.Value));
                table.Add(setup, kind == PgScaleRun.PgbenchKind ? "pgbench" : $"Ipam, {kind}", Stats.Rate(rate),
                    kind == PgScaleRun.PgbenchKind ? "1" : Stats.Times(ratio),
                    Stats.Milliseconds(Stats.Percentile(samples, 50)), Stats.Milliseconds(Stats.Percentile(samples, 99)),
                    $"{failed}{PgScaleRun.Describe(kinds)}", $"{duplicates}", Signed(of.Sum(p => p.Rows) - acknowledged),
                    Stats.Integer(of.Sum(p => p.Server.WalBytes) / Math.Max(1, acknowledged)),
                    PerRow(of.Sum(p => p.Server.NextTransactionId), acknowledged),
                    kind == PgScaleRun.PgbenchKind ? "-" : Stats.Microseconds(of.Sum(p => p.CpuSeconds) / Math.Max(1, acknowledged)),
                    kind == PgScaleRun.PgbenchKind ? "-" : PerRow(of.Sum(p => p.Driver.Commands), acknowledged),
                    Average(of.Select(p => p.Activity.Active)), Average(of.Select(p => p.Activity.AdvisoryWaiting)));
                if (kind == PgScaleWorkload.Cases[0].Label)
                {
                    verdicts.Add(($"{setup}: {Stats.Times(ratio)} ({Stats.Rate(rate)} vs {Stats.Rate(pgbench)}/s), {duplicates} duplicates, {failed} failures",
                        ratio >= 1 && duplicates == 0 && failed == 0));
                }
            }
        }

        report.Goals.Add(new Goal(goal, "≥ 1×, 0 duplicates, 0 failures", string.Join("; ", verdicts.Select(v => v.Text)),
            verdicts.Count == setups.Count && verdicts.All(v => v.Met),
            verdicts.All(v => v.Met) ? null : "see docs/performance.md, \"Three instances × 32 clients against pgbench\""));
    }

    private double Median(string setup, string kind) => Stats.Median(points.Where(p => p.Setup == setup && p.Kind == kind).Select(p => p.Rate));

    private static string PerRow(long total, long rows) => ((double)total / Math.Max(1, rows)).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);

    private static string Average(IEnumerable<double> values) =>
        values.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Average().ToString("F1", System.Globalization.CultureInfo.InvariantCulture);

    private static string Signed(long value) => value == 0 ? "0" : value > 0 ? $"+{value}" : $"{value}";
}
