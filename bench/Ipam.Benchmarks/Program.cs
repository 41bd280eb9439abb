using System.Text.Json;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Api.Hosting;
using Ipam.Benchmarks;
using Ipam.Storage.Postgres;
using Ipam.Testing;

// dotnet run -c Release --project bench/Ipam.Benchmarks -- WORKLOAD [options]
//   fill        [--cidr 10.0.0.0/16] [--strategy random|next] [--no-fsync]
//   concurrent  [--store sqlite|postgres] [--pg URL] [--clients 1,8,32] [--subnets 1,32] [--seconds 5] [--rounds 3]
// Every workload prints a table and writes JSON to --out (default bench/results/WORKLOAD-TIME.json).
var arguments = args.ToList();
string Option(string name, string fallback)
{
    var i = arguments.IndexOf(name);
    return i >= 0 && i + 1 < arguments.Count ? arguments[i + 1] : fallback;
}

int[] Numbers(string name, string fallback) => [.. Option(name, fallback).Split(',').Select(int.Parse)];

var workload = arguments.FirstOrDefault() ?? "fill";
var output = Option("--out", Path.Combine("bench", "results", $"{workload}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json"));
var durable = !arguments.Contains("--no-fsync");
var directory = Directory.CreateTempSubdirectory("ipam-bench-").FullName;
PostgresCluster? cluster = null;
try
{
    object result;
    switch (workload)
    {
        case "fill":
        {
            var cidr = Cidr.Parse(Option("--cidr", "10.0.0.0/16"));
            var strategy = Option("--strategy", "random") == "next" ? AllocationStrategy.Next : AllocationStrategy.Random;
            Console.WriteLine($"fill {cidr} with {strategy.ToString().ToLowerInvariant()} allocations, one per request, SQLite {(durable ? "synchronous=FULL" : "synchronous=NORMAL")}");
            var fill = await new FillWorkload(directory, cidr, strategy, durable, rawSample: 300).RunAsync(Console.Out);
            var phases = fill.Phases;
            Console.WriteLine($"cost of the last tenth / cost of the first tenth: {phases[0].AllocationsPerSecond / phases[^1].AllocationsPerSecond:F2}; last 1% of the pool: {phases[^1].LastPercentPerSecond:F0} allocs/s");
            Console.WriteLine($"median ratio to raw single-row commit: {phases.Select(p => p.RatioToRaw).Order().ElementAt(phases.Count / 2):F2}");
            result = fill;
            break;
        }

        case "concurrent":
        {
            var store = Option("--store", "sqlite");
            var duration = TimeSpan.FromSeconds(double.Parse(Option("--seconds", "5"), System.Globalization.CultureInfo.InvariantCulture));
            var rounds = int.Parse(Option("--rounds", "3"), System.Globalization.CultureInfo.InvariantCulture);
            DatabaseLocation database;
            Func<int, TimeSpan, Task<double>> raw;
            if (store == "postgres")
            {
                var url = Option("--pg", "");
                if (url.Length == 0)
                {
                    cluster = await PostgresCluster.TryStartAsync() ?? throw new InvalidOperationException(PostgresCluster.UnavailableReason);
                    url = await cluster.CreateDatabaseUrlAsync();
                }

                database = new DatabaseLocation(DatabaseLocation.PostgreSql, url);
                if (!PostgresUrl.TryParse(url, out var connectionString, out var error))
                {
                    throw new ArgumentException(error);
                }

                var probe = new RawPostgresProbe(connectionString);
                await probe.PrepareAsync();
                raw = probe.MeasureAsync;
            }
            else
            {
                database = new DatabaseLocation(DatabaseLocation.Sqlite, Path.Combine(directory, "ipam.db"));
                var probe = new RawInsertProbe(Path.Combine(directory, "raw.db"), durable);
                raw = (_, d) => Task.FromResult(probe.MeasureFor(d));
            }

            Console.WriteLine($"concurrent single random allocations on {store}, {duration.TotalSeconds:F0} s per point, median of {rounds}; raw = single-row INSERT transactions" +
                (store == "sqlite" ? " on one connection (SQLite's single writer)" : " at the same client count"));
            result = await new ConcurrentWorkload(database, raw, durable).RunAsync(Numbers("--clients", "1,8,32"), Numbers("--subnets", "1,32"), duration, rounds, Console.Out);
            break;
        }

        default:
            Console.Error.WriteLine($"error: unknown workload '{workload}'; available: fill, concurrent");
            return 2;
    }

    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    await File.WriteAllTextAsync(output, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"results written to {output}");
    return 0;
}
finally
{
    if (cluster is not null)
    {
        await cluster.DisposeAsync();
    }

    Directory.Delete(directory, recursive: true);
}
