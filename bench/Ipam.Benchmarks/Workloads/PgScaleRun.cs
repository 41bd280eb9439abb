using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>Runs the points of one pg-scale run and keeps them, with every latency by path and kind.</summary>
internal sealed class PgScaleRun(BenchContext context, Pgbench pgbench, int clients, TimeSpan duration) : IDisposable
{
    public const string PgbenchKind = "pgbench";

    public const int PgbenchThreads = 2;
    private readonly string _directory = context.NewDirectory("pg-scale");
    private readonly NpgsqlCommandCounter _driver = new();
    private int _block;

    public List<PgScalePoint> Points { get; } = [];

    public Dictionary<string, List<double>> Latencies { get; } = [];

    public static string Key(string setup, string kind) => $"{setup}/{kind}";

    /// <summary>Creates the raw table, then a short untimed run of every path (connections, JIT, caches).</summary>
    public async Task WarmUpAsync(IEnumerable<PgScaleSetup> setups)
    {
        foreach (var setup in setups)
        {
            await new RawPostgresProbe(setup.CheckConnectionString).PrepareAsync();
            var warm = await setup.CreateSubnetsAsync(PgScaleWorkload.Cases[0], _block++);
            await setup.Clients.RunAsync(warm, PgScaleWorkload.Cases[0].Strategy, clients, TimeSpan.FromSeconds(context.Quick ? 0.3 : 5));
            await pgbench.RunInsertsAsync(setup.ConnectionString, Guid.NewGuid(), setup.PgbenchMode, clients, PgbenchThreads, TimeSpan.FromSeconds(1), _directory);
        }
    }

    /// <summary>pgbench and then every case on <paramref name="setup"/>, in the opposite order in odd rounds.</summary>
    public async Task RoundAsync(PgScaleSetup setup, int round)
    {
        var steps = new List<Func<Task<PgScalePoint>>> { () => PgbenchAsync(setup, round) };
        steps.AddRange(PgScaleWorkload.Cases.Select(c => (Func<Task<PgScalePoint>>)(() => IpamAsync(setup, c, round))));
        if (round % 2 == 1)
        {
            steps.Reverse();
        }

        foreach (var step in steps)
        {
            var point = await step();
            Points.Add(point);
            context.Log.WriteLine($"  round {round + 1}, {point.Setup}, {point.Kind}: {Stats.Rate(point.Rate)}/s, p50 {Stats.Milliseconds(point.P50)} ms, " +
                $"p99 {Stats.Milliseconds(point.P99)} ms, failed {point.Failed}{Describe(point.FailureKinds)}, duplicates {point.Duplicates}, " +
                $"rows {point.Rows} vs acknowledged {point.Acknowledged}, WAL {point.Server.WalBytes / Math.Max(1, point.Acknowledged)} B and " +
                $"{(double)point.Server.NextTransactionId / Math.Max(1, point.Acknowledged):F2} write transactions per row, CPU here {Stats.Microseconds(point.CpuSeconds / Math.Max(1, point.Acknowledged))} µs and " +
                $"{(double)point.Driver.Commands / Math.Max(1, point.Acknowledged):F2} Npgsql commands per row, " +
                $"{point.Activity.Active:F1} backends active, {point.Activity.AdvisoryWaiting:F1} of them waiting for an advisory lock");
        }
    }

    private async Task<PgScalePoint> PgbenchAsync(PgScaleSetup setup, int round)
    {
        var subnet = Guid.NewGuid();
        var (result, server, activity, _) = await ObserveAsync(setup, () =>
            pgbench.RunInsertsAsync(setup.ConnectionString, subnet, setup.PgbenchMode, clients, PgbenchThreads, duration, _directory));
        var rows = await setup.CountRawAsync(subnet);
        Record(setup, PgbenchKind, result.Latencies);
        var failures = result.Failed > 0 ? new Dictionary<string, int> { ["failed transactions"] = (int)result.Failed } : [];
        return new PgScalePoint(setup.Name, PgbenchKind, round, result.Tps, result.Processed, result.Failed, failures, 0, rows, rows, server,
            Stats.Percentile(result.Latencies, 50), Stats.Percentile(result.Latencies, 99), 0, NpgsqlTraffic.None, activity);
    }

    private async Task<PgScalePoint> IpamAsync(PgScaleSetup setup, PgScaleCase scaleCase, int round)
    {
        var subnets = await setup.CreateSubnetsAsync(scaleCase, _block++);
        var (outcome, server, activity, driver) = await ObserveAsync(setup, () => setup.Clients.RunAsync(subnets, scaleCase.Strategy, clients, duration));
        var (rows, distinct) = await setup.CountAllocationsAsync(subnets);
        Record(setup, scaleCase.Label, outcome.Latencies);
        return new PgScalePoint(setup.Name, scaleCase.Label, round, outcome.Rate, outcome.Acknowledged, outcome.Failed, outcome.Failures,
            outcome.DuplicateAcknowledgements, rows, distinct, server, Stats.Percentile(outcome.Latencies, 50), Stats.Percentile(outcome.Latencies, 99),
            outcome.CpuSeconds, driver, activity);
    }

    /// <summary>
    /// Runs <paramref name="run"/> while watching the server (WAL, transaction ids, backends) and this process's Npgsql,
    /// less the watcher's own commands.
    /// </summary>
    private async Task<(T Result, PgScaleServerCounters Server, PgScaleActivity Activity, NpgsqlTraffic Driver)> ObserveAsync<T>(PgScaleSetup setup, Func<Task<T>> run)
    {
        using var stop = new CancellationTokenSource();
        var before = await setup.ServerCountersAsync();
        var driver = _driver.Totals();
        var sampling = setup.SampleActivityAsync(stop.Token);
        var result = await run();
        await stop.CancelAsync();
        var activity = await sampling;
        driver = _driver.Totals().Since(driver);
        var server = (await setup.ServerCountersAsync()).Since(before);
        return (result, server, activity, driver with { Commands = driver.Commands - activity.Samples });
    }

    private void Record(PgScaleSetup setup, string kind, IEnumerable<double> latencies)
    {
        var key = Key(setup.Name, kind);
        if (!Latencies.TryGetValue(key, out var list))
        {
            Latencies[key] = list = [];
        }

        list.AddRange(latencies);
    }

    public void Dispose() => _driver.Dispose();

    public static string Describe(IReadOnlyDictionary<string, int> kinds) =>
        kinds.Count == 0 ? "" : " (" + string.Join(", ", kinds.OrderByDescending(k => k.Value).Select(k => $"{k.Key} ×{k.Value}")) + ")";
}
