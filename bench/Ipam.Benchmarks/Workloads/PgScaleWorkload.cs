using Ipam.Allocations.Strategies;
using Ipam.Benchmarks.Harness;
using Ipam.Testing;
using Npgsql;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// Several instances on one PostgreSQL database, many HTTP clients spread round-robin over them, beside pgbench's
/// single-row INSERT rate with as many clients, on the same cluster in the same run: directly, and through a
/// PgBouncer in transaction mode. In every round each path runs pgbench and then each case (the order reversed
/// every other round); afterwards the database is counted for duplicates and for rows nobody acknowledged.
/// </summary>
internal static class PgScaleWorkload
{
    public static async Task<WorkloadReport> RunAsync(BenchContext context)
    {
        var duration = TimeSpan.FromSeconds(context.Double("--seconds", context.Quick ? 1 : 10));
        var clients = context.Int("--clients", 32);
        var instances = context.Int("--instances", 3);
        var poolSize = context.Int("--pool-size", 20);
        var rounds = context.Quick ? 1 : context.Rounds;
        var report = new WorkloadReport("pg-scale", $"PostgreSQL: {instances} instances × {clients} clients against pgbench, directly and through PgBouncer");
        var goal = $"{instances} instances × {clients} clients vs pgbench's single-row INSERT rate at {clients} clients, directly and through PgBouncer";
        var pgbench = Pgbench.Find();
        var (url, reason) = await context.PostgresDatabaseAsync();
        var (pooledUrl, _) = await context.PostgresDatabaseAsync();
        reason = pgbench is null ? "pgbench not found under /usr/lib/postgresql/*/bin (apt-get install postgresql-contrib or postgresql)" : reason;
        if (url is null || pooledUrl is null || pgbench is null)
        {
            report.Notes.Add($"Not measured: {reason}.");
            report.Goals.Add(new Goal(goal, "≥ 1×, 0 duplicates, 0 failures", "not measured", null, reason));
            return report;
        }

        var setups = new List<PgScaleSetup>();
        try
        {
            setups.Add(await PgScaleSetup.StartDirectAsync(url, instances, context.Durable));
            if (File.Exists(PgBouncer.Binary))
            {
                setups.Add(await PgScaleSetup.StartPooledAsync(pooledUrl, instances, context.Durable, poolSize));
            }
            else
            {
                report.Notes.Add($"Through PgBouncer not measured: {PgBouncer.Binary} not found (apt-get install pgbouncer).");
            }

            using var run = new PgScaleRun(context, pgbench, clients, duration);
            await run.WarmUpAsync(setups);
            for (var round = 0; round < rounds; round++)
            {
                foreach (var setup in round % 2 == 0 ? setups : Enumerable.Reverse(setups))
                {
                    await run.RoundAsync(setup, round);
                }
            }

            var synchronousCommit = await ShowAsync(setups[0].CheckConnectionString, "synchronous_commit");
            new PgScaleSummary(run.Points, run.Latencies).Write(report, goal, setups.Select(s => s.Name).ToList());
            report.Notes.Add($"{instances} Ipam instances (each its own host, caches and connection pool, in this process, Kestrel on loopback) on one database; " +
                $"{clients} HTTP clients, every request to the next instance in turn; {Stats.Rate(duration.TotalSeconds)} s per point, {rounds} round(s), " +
                "in each round per path pgbench first and then the cases (reversed every other round), the paths alternating which goes first. " +
                $"pgbench: {clients} clients, -j {PgScaleRun.PgbenchThreads}, one single-row INSERT per transaction into a table shaped like allocations " +
                "(subnet uuid, 16-byte address, owner, created_at; primary key (subnet, address)) in the same database, -M prepared directly and -M extended through PgBouncer " +
                "(what Ipam's driver does on each path). " +
                $"Both sides commit with the cluster's synchronous_commit = {synchronousCommit}. " +
                $"PgBouncer 1.18, pool_mode = transaction, default_pool_size = {poolSize}, on the same machine; Ipam through it with pooler=transaction. " +
                "Rates and ratios are medians over the rounds; latencies over every request of every round; failures = answers other than 201 and transport errors; " +
                "duplicates = addresses acknowledged twice plus rows in the database beyond the distinct (subnet, address) pairs; rows − acknowledged = allocations " +
                "committed but never acknowledged (or acknowledged but missing). WAL and write transactions per allocation: the server's WAL position and " +
                "next transaction id before and after (cluster-wide).");
            report.Data["points"] = run.Points;
            report.Data["synchronous_commit"] = synchronousCommit;
            return report;
        }
        finally
        {
            foreach (var setup in setups)
            {
                await setup.DisposeAsync();
            }
        }
    }

    /// <summary>The cases every round runs on each path.</summary>
    public static IReadOnlyList<PgScaleCase> Cases { get; } =
    [
        new(AllocationStrategies.Random, 1),
        new(AllocationStrategies.Next, 1),
        new(AllocationStrategies.Random, 16),
    ];

    private static async Task<string> ShowAsync(string connectionString, string setting)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var show = new NpgsqlCommand($"SHOW {setting}", connection);
        return (string)(await show.ExecuteScalarAsync())!;
    }
}
