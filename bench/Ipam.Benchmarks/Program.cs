using System.Text.Json;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Benchmarks;

// Usage: dotnet run -c Release --project bench/Ipam.Benchmarks -- fill [--cidr 10.0.0.0/16] [--strategy random|next] [--no-fsync] [--out results.json]
var arguments = args.ToList();
string Option(string name, string fallback)
{
    var i = arguments.IndexOf(name);
    return i >= 0 && i + 1 < arguments.Count ? arguments[i + 1] : fallback;
}

var workload = arguments.FirstOrDefault() ?? "fill";
if (workload is not "fill")
{
    Console.Error.WriteLine($"error: unknown workload '{workload}'; available: fill");
    return 2;
}

var cidr = Cidr.Parse(Option("--cidr", "10.0.0.0/16"));
var strategy = Option("--strategy", "random") == "next" ? AllocationStrategy.Next : AllocationStrategy.Random;
var durable = !arguments.Contains("--no-fsync");
var output = Option("--out", Path.Combine("bench", "results", $"fill-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json"));
var directory = Directory.CreateTempSubdirectory("ipam-bench-").FullName;
try
{
    Console.WriteLine($"fill {cidr} with {strategy.ToString().ToLowerInvariant()} allocations, one per request, SQLite {(durable ? "synchronous=FULL" : "synchronous=NORMAL")} in {directory}");
    var result = await new FillWorkload(directory, cidr, strategy, durable, rawSample: 300).RunAsync(Console.Out);
    var phases = result.Phases;
    var lastPercent = phases[^1].LastPercentPerSecond;
    Console.WriteLine($"cost of the last tenth / cost of the first tenth: {phases[0].AllocationsPerSecond / phases[^1].AllocationsPerSecond:F2}; last 1% of the pool: {lastPercent:F0} allocs/s");
    Console.WriteLine($"median ratio to raw single-row commit: {phases.Select(p => p.RatioToRaw).Order().ElementAt(phases.Count / 2):F2}");
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    await File.WriteAllTextAsync(output, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"results written to {output}");
    return 0;
}
finally
{
    Directory.Delete(directory, recursive: true);
}
