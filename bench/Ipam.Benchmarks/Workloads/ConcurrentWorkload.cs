using System.Diagnostics;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Api.Hosting;
using Ipam.Benchmarks.Harness;
using Ipam.Errors;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// N concurrent clients of single random allocations through the service layer, on one subnet or spread over
/// 16, on SQLite and on PostgreSQL, beside the raw one-row-per-transaction commit rate measured right before
/// each point (one client; on PostgreSQL also N clients, which is PostgreSQL's own group commit); medians of
/// the rounds. A last row adds a client whose every request fails, to show its neighbours are unaffected.
/// </summary>
internal static class ConcurrentWorkload
{
    public static async Task<WorkloadReport> RunAsync(BenchContext context)
    {
        var stores = context.Option("--store", "both") switch
        {
            "sqlite" => new[] { DatabaseLocation.Sqlite },
            "postgres" or "postgresql" => [DatabaseLocation.PostgreSql],
            "both" => [DatabaseLocation.Sqlite, DatabaseLocation.PostgreSql],
            var other => throw new BenchOptionException(ChoiceOptions.Refusal("--store", ChoiceOptions.StoresOrBoth, other)),
        };
        var clients = context.Ints("--clients", "1,4,16");
        var subnets = context.Ints("--subnets", "1,16");
        var duration = TimeSpan.FromSeconds(context.Double("--seconds", context.Quick ? 0.25 : 1.0));
        var rounds = Math.Max(3, context.Rounds);
        var report = new WorkloadReport("concurrent", "Concurrent clients of single allocations");
        var table = report.AddTable($"Single random allocations from concurrent clients ({duration.TotalSeconds:0.#} s per point, median of {rounds} rounds)",
            "store", "subnets", "clients", "allocs/s", "raw 1-client commits/s", "ratio to raw", "raw N-client commits/s", "ratio to N-client raw", "failed requests");
        var results = new List<ConcurrentPoint>();
        foreach (var store in stores)
        {
            var points = await RunStoreAsync(context, store, clients, subnets, duration, rounds, report);
            results.AddRange(points);
            foreach (var p in points)
            {
                table.Add(p.Store, p.Label ?? $"{p.Subnets}", $"{p.Clients}", Stats.Rate(p.AllocationsPerSecond), Stats.Rate(p.RawOneClient),
                    Stats.Ratio(p.AllocationsPerSecond / p.RawOneClient), Stats.Rate(p.RawNClients), Stats.Ratio(p.AllocationsPerSecond / p.RawNClients),
                    p.FailedNeighbours is { } n ? $"{p.Failed} (neighbours: {n})" : $"{p.Failed}");
            }

            foreach (var p in points.Where(p => !double.IsNaN(p.RawWithChangeRow)))
            {
                report.Notes.Add($"{p.Store}, {p.Subnets} subnet(s), 1 client: raw single-row commits that also append a change-log row (the record every allocation commits) " +
                    $"ran at {Stats.Rate(p.RawWithChangeRow)}/s against {Stats.Rate(p.RawOneClient)}/s without, {Stats.Ratio(p.RawWithChangeRow / p.RawOneClient)} of raw: what the record alone costs this disk.");
            }

            var sixteen = points.Where(p => p.Clients == 16 && p.Label is null).ToList();
            if (sixteen.Count > 0)
            {
                var worst = sixteen.Min(p => p.AllocationsPerSecond / p.RawOneClient);
                report.Goals.Add(new Goal($"16 concurrent clients vs raw one-row-per-transaction commit rate, {store}", "≥ 3×",
                    string.Join("; ", sixteen.Select(p => $"{p.Subnets} subnet{(p.Subnets == 1 ? "" : "s")}: {Stats.Times(p.AllocationsPerSecond / p.RawOneClient)}" +
                        (double.IsNaN(p.RawNClients) ? "" : $" ({Stats.Times(p.AllocationsPerSecond / p.RawNClients)} of 16-client raw)"))),
                    worst >= 3, worst >= 3 ? null : store == DatabaseLocation.PostgreSql
                        ? "on PostgreSQL requests share transactions, but each still costs its own statements (a share lock on its subnet and the insert) on 2 cores shared by the server, Npgsql, Ipam and the clients; with one subnet the lock is taken once per transaction"
                        : "see the table"));
            }
        }

        report.Notes.Add("Service layer; raw = single-row INSERT transactions: into a table of the same database: on SQLite one connection (SQLite has one writer), on PostgreSQL 1 and N connections. " +
            "SQLite: Ipam's writer commits concurrent requests together (group commit), each in its own savepoint. PostgreSQL: the same within one instance: up to one READ COMMITTED transaction per core at a time, each taking every request waiting when it starts.");
        report.Data["points"] = results;
        return report;
    }

    private static async Task<List<ConcurrentPoint>> RunStoreAsync(
        BenchContext context, string store, int[] clientCounts, int[] subnetCounts, TimeSpan duration, int rounds, WorkloadReport report)
    {
        DatabaseLocation database;
        Func<int, TimeSpan, Task<double>> raw;
        RawInsertProbe? sqliteProbe = null;
        RawInsertProbe? sqliteChangeRowProbe = null;
        RawPostgresProbe? postgresChangeRowProbe = null;
        string? postgresUrl = null;
        if (store == DatabaseLocation.PostgreSql)
        {
            var (url, reason) = await context.PostgresDatabaseAsync();
            if (url is null)
            {
                report.Notes.Add($"PostgreSQL not measured: {reason}.");
                report.Goals.Add(new Goal("16 concurrent clients vs raw one-row-per-transaction commit rate, postgresql", "≥ 3×", "not measured", null, reason));
                return [];
            }

            postgresUrl = url;
            database = new DatabaseLocation(DatabaseLocation.PostgreSql, url);
            var probe = new RawPostgresProbe(BenchContext.ConnectionString(url));
            await probe.PrepareAsync();
            raw = probe.MeasureAsync;
        }
        else
        {
            database = new DatabaseLocation(DatabaseLocation.Sqlite, Path.Combine(context.NewDirectory("concurrent"), "ipam.db"));
            raw = (_, d) => Task.FromResult(sqliteProbe!.MeasureFor(d));
        }

        var points = new List<ConcurrentPoint>();
        await using var ipam = await IpamInstance.StartAsync(database, context.Durable);
        if (store == DatabaseLocation.Sqlite)
        {
            sqliteProbe = ipam.RawProbe();
            sqliteChangeRowProbe = ipam.RawProbe(withChangeRow: true);
        }
        else
        {
            // Its table copies Ipam's change log, which exists once the instance has migrated the database.
            postgresChangeRowProbe = new RawPostgresProbe(BenchContext.ConnectionString(postgresUrl!), withChangeRow: true);
            await postgresChangeRowProbe.PrepareAsync();
        }

        Func<TimeSpan, Task<double>> rawWithChangeRow = postgresChangeRowProbe is { } changeRowProbe
            ? d => changeRowProbe.MeasureAsync(1, d)
            : d => Task.FromResult(sqliteChangeRowProbe!.MeasureFor(d));

        try
        {
            var octet = 0;
            async Task<Guid> NewSubnetAsync()
            {
                var k = octet++;
                return (await ipam.CreateSubnetAsync($"{10 + (k / 256)}.{k % 256}.0.0/16")).Id;
            }

            var warm = await NewSubnetAsync();
            await RunClientsAsync(ipam, [warm], 4, TimeSpan.FromSeconds(0.3), failing: false);
            foreach (var subnetCount in subnetCounts)
            {
                foreach (var clients in clientCounts)
                {
                    points.Add(await MeasurePointAsync(context, store, raw, rawWithChangeRow, clients, subnetCount, duration, rounds, failing: false, NewSubnetAsync, ipam));
                }
            }

            if (clientCounts.Contains(16))
            {
                points.Add(await MeasurePointAsync(context, store, raw, rawWithChangeRow, 16, 1, duration, rounds, failing: true, NewSubnetAsync, ipam));
            }
        }
        finally
        {
            sqliteProbe?.Dispose();
            sqliteChangeRowProbe?.Dispose();
        }

        if (store == DatabaseLocation.PostgreSql && postgresUrl is not null && !context.Quick)
        {
            await NeutronConcurrentAsync(context, report, points);
        }

        return points;
    }

    private static async Task<ConcurrentPoint> MeasurePointAsync(
        BenchContext context, string store, Func<int, TimeSpan, Task<double>> raw, Func<TimeSpan, Task<double>> rawWithChangeRow, int clients, int subnetCount,
        TimeSpan duration, int rounds, bool failing, Func<Task<Guid>> newSubnet, IpamInstance ipam)
    {
        var rates = new List<double>();
        var rawOne = new List<double>();
        var rawChangeRow = new List<double>();
        var rawN = new List<double>();
        var cpu = new List<double>();
        var workItems = new List<double>();
        long failed = 0;
        long failedNeighbours = 0;
        for (var round = 0; round < rounds; round++)
        {
            rawOne.Add(await raw(1, duration));
            if (clients == 1 && !failing)
            {
                rawChangeRow.Add(await rawWithChangeRow(duration));
            }

            if (store == DatabaseLocation.PostgreSql && clients > 1)
            {
                rawN.Add(await raw(clients, duration));
            }

            var ids = new List<Guid>(subnetCount);
            for (var s = 0; s < subnetCount; s++)
            {
                ids.Add(await newSubnet());
            }

            var outcome = await RunClientsAsync(ipam, ids, clients, duration, failing);
            rates.Add(outcome.Rate);
            cpu.Add(outcome.CpuMicroseconds);
            workItems.Add(outcome.WorkItems);
            failed += outcome.Failed;
            failedNeighbours += outcome.FailedNeighbours;
        }

        var point = new ConcurrentPoint(store, clients, subnetCount, failing ? "1, one client failing" : null, Stats.Median(rates), Stats.Median(rawOne),
            rawN.Count > 0 ? Stats.Median(rawN) : store == DatabaseLocation.PostgreSql && clients == 1 ? Stats.Median(rawOne) : double.NaN,
            failed, failing ? failedNeighbours : null, rates, rawOne, rawN, Stats.Median(cpu),
            rawChangeRow.Count > 0 ? Stats.Median(rawChangeRow) : double.NaN, rawChangeRow, Stats.Median(workItems));
        context.Log.WriteLine($"  {store,-10} {subnetCount,2} subnet(s) {clients,2} clients{(failing ? " (one failing)" : "")}: {Stats.Rate(point.AllocationsPerSecond)} allocs/s, raw 1-client {Stats.Rate(point.RawOneClient)}/s, failed {failed}, CPU {point.CpuMicrosecondsPerAllocation:0} µs/alloc, {point.WorkItemsPerAllocation:0.00} thread-pool work items/alloc" +
            (rawChangeRow.Count > 0 ? $", raw 1-client with a change row {Stats.Rate(point.RawWithChangeRow)}/s ({Stats.Ratio(point.RawWithChangeRow / point.RawOneClient)} of raw)" : ""));
        return point;
    }

    /// <summary>
    /// Clients allocate in a loop until the time is up. With <paramref name="failing"/>, client 0 instead asks
    /// again and again for an address that is taken (each request fails alone); its failures are expected, and
    /// the others' are counted separately.
    /// </summary>
    private static async Task<(double Rate, long Failed, long FailedNeighbours, double CpuMicroseconds, double WorkItems)> RunClientsAsync(IpamInstance ipam, List<Guid> subnets, int clients, TimeSpan duration, bool failing)
    {
        IpAddress? taken = null;
        if (failing)
        {
            taken = (await ipam.Allocations.AllocateAsync(subnets[0], new AllocationRequest { Owner = "taken" }))[0].Address;
        }

        long failed = 0;
        long failedNeighbours = 0;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var workItemsBefore = ThreadPool.CompletedWorkItemCount;
        var watch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var subnet = subnets[client % subnets.Count];
            var bad = failing && client == 0;
            var request = bad ? new AllocationRequest { Address = taken, Owner = "conflict" } : new AllocationRequest { Owner = $"client-{client}" };
            var done = 0;
            while (watch.Elapsed < duration)
            {
                try
                {
                    await ipam.Allocations.AllocateAsync(subnet, request);
                    done++;
                }
                catch (IpamException)
                {
                    Interlocked.Increment(ref failed);
                    if (!bad)
                    {
                        Interlocked.Increment(ref failedNeighbours);
                    }
                }
            }

            return bad ? 0 : done;
        })));
        var elapsed = watch.Elapsed;
        var cpuTime = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var workItems = ThreadPool.CompletedWorkItemCount - workItemsBefore;
        var done = Math.Max(1, counts.Sum() + failed);
        return (counts.Sum() / elapsed.TotalSeconds, failed, failedNeighbours, cpuTime.TotalMicroseconds / done, workItems / (double)done);
    }

    /// <summary>Neutron's own concurrency figure: 4 worker processes on one /22, PostgreSQL (on SQLite its workers fail with "database is locked").</summary>
    private static async Task NeutronConcurrentAsync(BenchContext context, WorkloadReport report, List<ConcurrentPoint> points)
    {
        var (neutron, reason) = await context.NeutronAsync();
        var (url, pgReason) = await context.PostgresDatabaseAsync();
        if (neutron is null || url is null)
        {
            report.Notes.Add($"Neutron's concurrent figure not measured: {(neutron is null ? reason : pgReason)}.");
            return;
        }

        try
        {
            var directory = context.NewDirectory("neutron-concurrent");
            var database = "postgresql+psycopg2://" + url["postgresql://".Length..];
            var objects = await neutron.RunAsync("concurrent", database, Path.Combine(directory, "out.jsonl"),
                ["--prefix", "22", "--workers", "4", "--count", "200"], TimeSpan.FromMinutes(10), context.Log);
            var result = objects[0];
            var rate = result.GetProperty("aggregate_allocs_per_s").GetDouble();
            var ipam4 = points.FirstOrDefault(p => p.Clients == 4 && p.Subnets == 1 && p.Label is null);
            var table = report.AddTable("Neutron's driver, 4 concurrent worker processes on one /22, PostgreSQL (same cluster)",
                "driver", "allocs/s", "succeeded", "retries", "errors", "× Neutron");
            table.Add("Neutron neutrondb_ipam", Stats.Rate(rate), $"{result.GetProperty("succeeded").GetInt32()}", $"{result.GetProperty("retries").GetInt32()}", $"{result.GetProperty("errors").GetInt32()}", "");
            if (ipam4 is not null)
            {
                table.Add("Ipam, 4 clients, 1 subnet (above)", Stats.Rate(ipam4.AllocationsPerSecond), "", "", $"{ipam4.Failed}", Stats.Times(ipam4.AllocationsPerSecond / rate));
            }

            report.Data["neutron_concurrent"] = result;
        }
        catch (InvalidOperationException e)
        {
            report.Notes.Add($"Neutron's concurrent figure not measured: {e.Message}.");
        }
    }
}

internal sealed record ConcurrentPoint(
    string Store, int Clients, int Subnets, string? Label, double AllocationsPerSecond, double RawOneClient, double RawNClients, long Failed, long? FailedNeighbours,
    IReadOnlyList<double> RoundRates, IReadOnlyList<double> RawOneClientRounds, IReadOnlyList<double> RawNClientRounds,
    double CpuMicrosecondsPerAllocation, double RawWithChangeRow, IReadOnlyList<double> RawWithChangeRowRounds, double WorkItemsPerAllocation);
