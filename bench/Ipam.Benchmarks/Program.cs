using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ipam.Api.Hosting;
using Ipam.Benchmarks;
using Ipam.Benchmarks.Harness;
using Ipam.Benchmarks.Micro;
using Ipam.Benchmarks.Workloads;

// bench/run [WORKLOAD] [options]   (or: dotnet run -c Release --project bench/Ipam.Benchmarks -- WORKLOAD [options])
// Every workload prints Markdown tables and writes JSON to bench/results/WORKLOAD-TIME.json; `all` also
// writes bench/results/all-TIME.md with every table and the verdict on each performance goal.
// `micro` is different: BenchmarkDotNet micro-benchmarks of the core types, checked against their allocation budgets.
var workloads = new (string Name, string Summary, Func<BenchContext, Task<WorkloadReport>> Run)[]
{
    ("index", "the free-range index alone: pick cost and memory as allocations accumulate", IndexWorkload.RunAsync),
    ("fill", "fill a /16, random and next-free, per tenth and first/last 1% [--cidr C] [--strategy random|next|both] [--every]", FillWorkload.RunAsync),
    ("http-fill", "the fill over real HTTP (Kestrel on loopback) [--cidr C] [--strategy S] [--every]", HttpFillWorkload.RunAsync),
    ("specific", "specific addresses in a /16 [--store sqlite|postgres|both] [--keyed]", SpecificWorkload.RunAsync),
    ("bulk", "bulk requests of 1, 10, 100, 1000: cost per address", BulkWorkload.RunAsync),
    ("churn", "release one, allocate one, in a 50%-full /16 [--store sqlite|postgres|both] [--keyed]", ChurnWorkload.RunAsync),
    ("ipv6", "IPv6 /64 random and EUI-64 vs IPv4 /24", Ipv6Workload.RunAsync),
    ("latency", "p50/p99 latency at 0/50/90/99% of a /24 and a /16, and in a /64 [--samples N]", LatencyWorkload.RunAsync),
    ("concurrent", "1/4/16 clients on 1 and 16 subnets, SQLite and PostgreSQL [--store sqlite|postgres|both] [--clients 1,4,16] [--subnets 1,16] [--seconds S] [--pg URL]", ConcurrentWorkload.RunAsync),
    ("memory", "RSS after 1,000 mixed-size subnets vs 1,000 /24s [--subnets N] [--per-subnet N]", MemoryWorkload.RunAsync),
    ("neutron-fill", "Ipam and Neutron's driver fill the same prefix in the same run [--prefix 22]", NeutronFillWorkload.RunAsync),
};

// Not part of `all` (Neutron needs seconds per allocation in a well-filled /16); run on its own.
(string Name, string Summary, Func<BenchContext, Task<WorkloadReport>> Run)[] extras =
[
    ("neutron-seeded", "a /16 at 0/50/90/99% fill, Ipam vs Neutron (Neutron pre-seeded by SQL) [--neutron-samples N] [--samples N]", NeutronSeededWorkload.RunAsync),
    ("pg-scale", "3 instances × 32 HTTP clients vs pgbench single-row INSERTs at 32 clients, directly and through PgBouncer [--seconds S] [--clients N] [--instances N] [--pool-size N] [--pg URL]", PgScaleWorkload.RunAsync),
    ("instances", "one client fills a /16 round-robin over 3 instances on one PostgreSQL database vs one instance; refusals/s on the full subnet [--cidr C] [--instances N] [--samples N] [--seconds S] [--pg URL]", InstancesWorkload.RunAsync),
    ("scale", ScaleWorkload.Summary, ScaleWorkload.RunAsync),
    ("bursts", "one client on SQLite in bursts: after a pause vs right after a burst [--bursts N] [--per-burst N] [--pause S]", BurstsWorkload.RunAsync),
];

var name = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "all";
if (args.Contains("--help") || args.Contains("-h"))
{
    Usage(Console.Out);
    return 0;
}

if (ChoiceOptions.Check(name, args) is { } badChoice)
{
    return OptionError(badChoice);
}

if (name == "micro")
{
    var micro = args.SkipWhile(a => a != "micro").Skip(1).ToArray();
    return MicroBenchmarks.Run(micro, Path.Combine(ResultsDirectory(null), "micro"), Console.Out);
}

await using var context = new BenchContext(args, Console.Out);
if (name == "memory-child")
{
    return await MemoryWorkload.ChildAsync(context);
}

if (name == ScaleMemoryChild.Name)
{
    return await ScaleMemoryChild.RunAsync(context);
}

if (name == "pool")
{
    var database = context.Option("--store", "sqlite") == "postgres"
        ? new DatabaseLocation(DatabaseLocation.PostgreSql, (await context.PostgresDatabaseAsync()).Url ?? throw new InvalidOperationException("PostgreSQL is not available."))
        : new DatabaseLocation(DatabaseLocation.Sqlite, Path.Combine(context.NewDirectory("pool"), "ipam.db"));
    PoolResult pool;
    try
    {
        pool = await PoolWorkload.RunAsync(context.Arguments, database, context.Durable, Console.Out);
    }
    catch (BenchOptionException e)
    {
        return OptionError(e.Message);
    }

    var poolFile = new ResultWriter(ResultsDirectory(context), Stamp()).Write("pool", pool);
    Console.WriteLine($"results written to {poolFile}");
    return 0;
}

var selected = name == "all" ? workloads : workloads.Concat(extras).Where(w => w.Name == name).ToArray();
if (selected.Length == 0)
{
    Console.Error.WriteLine($"error: unknown workload '{name}'.");
    Usage(Console.Error);
    return 2;
}

var run = RunInfo.Capture(context.Quick, context.Durable);
var writer = new ResultWriter(ResultsDirectory(context), Stamp());
var total = Stopwatch.StartNew();
Console.WriteLine($"Ipam benchmarks: {string.Join(", ", selected.Select(w => w.Name))}; {run.Mode} mode, SQLite {(context.Durable ? "synchronous=FULL" : "synchronous=NORMAL")}, " +
    $"{run.Cores} cores, {run.Runtime}, commit {run.Commit}");
var reports = new List<WorkloadReport>();
var failures = new List<string>();
foreach (var workload in selected)
{
    Console.WriteLine();
    Console.WriteLine($"== {workload.Name}: {workload.Summary}");
    var watch = Stopwatch.StartNew();
    WorkloadReport report;
    try
    {
        report = await workload.Run(context);
    }
    catch (BenchOptionException e)
    {
        return OptionError(e.Message);
    }
    catch (Exception e) when (name == "all")
    {
        // One broken workload should not lose the others' results.
        Console.Error.WriteLine($"error: {workload.Name} failed: {e}");
        failures.Add($"{workload.Name}: {e.GetType().Name}: {e.Message}");
        continue;
    }

    report.ElapsedSeconds = watch.Elapsed.TotalSeconds;
    report.Write(Console.Out);
    var file = writer.Write(workload.Name, ResultWriter.Document(report, run));
    if (selected.Length == 1 && context.Option("--out", "") is { Length: > 0 } outFile)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
        File.Copy(file, outFile, overwrite: true);
    }

    Console.WriteLine($"results written to {file}");
    reports.Add(report);
}

var goals = new Table("Performance goals, this run", "goal", "target", "measured", "verdict", "what limits it");
foreach (var goal in reports.SelectMany(r => r.Goals))
{
    goals.Add(goal.Name, goal.Target, goal.Measured, goal.Verdict, goal.Limit ?? "");
}

Console.WriteLine();
goals.Write(Console.Out);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total: {total.Elapsed.TotalSeconds:F0} s"));
if (name == "all")
{
    var markdown = new StringWriter { NewLine = "\n" };
    markdown.WriteLine($"# Ipam benchmark run ({run.Mode}), {run.Started:yyyy-MM-dd HH:mm} UTC");
    markdown.WriteLine();
    markdown.WriteLine($"{run.Cores} cores, {run.Os}, {run.Runtime}, commit {run.Commit}, SQLite {(context.Durable ? "synchronous=FULL" : "synchronous=NORMAL")}; " +
        string.Create(CultureInfo.InvariantCulture, $"{total.Elapsed.TotalSeconds:F0} s in all."));
    goals.Write(markdown);
    foreach (var report in reports)
    {
        report.Write(markdown);
    }

    foreach (var failure in failures)
    {
        markdown.WriteLine();
        markdown.WriteLine($"FAILED: {failure}");
    }

    Console.WriteLine($"summary written to {writer.WriteText("all", "md", markdown.ToString())}");
    writer.Write("all", new { run, elapsed_seconds = total.Elapsed.TotalSeconds, goals = reports.SelectMany(r => r.Goals), failures, workloads = reports.Select(r => ResultWriter.Document(r, run)) });
}

return failures.Count == 0 ? 0 : 1;

// An option value the app cannot use: one line, and the exit code that tells it from a failed run.
static int OptionError(string message)
{
    Console.Error.WriteLine($"error: {message}");
    return 2;
}

static string Stamp() => DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

static string ResultsDirectory(BenchContext? context)
{
    if (context?.Option("--results", "") is { Length: > 0 } given)
    {
        return Path.GetFullPath(given);
    }

    return Path.Combine(RepositoryRoot.Find() ?? Path.GetFullPath("."), "bench", "results");
}

void Usage(TextWriter output)
{
    var text = new StringBuilder();
    text.AppendLine("usage: bench/run [WORKLOAD] [--quick] [--no-fsync] [--rounds N] [--results DIR] [--no-neutron] [--neutron-script PATH] [--python PATH] [--pg URL]");
    text.AppendLine();
    text.AppendLine("  all             every workload below (the default); writes bench/results/all-TIME.md");
    foreach (var workload in workloads)
    {
        text.AppendLine($"  {workload.Name,-15} {workload.Summary}");
    }

    foreach (var workload in extras)
    {
        text.AppendLine($"  {workload.Name,-15} {workload.Summary} (not part of all)");
    }

    text.AppendLine("  micro           BenchmarkDotNet micro-benchmarks (free-range index, address math, JSON) with their allocation budgets;");
    text.AppendLine("                  fails when a case allocates more per call than its budget; BenchmarkDotNet's options pass through");
    text.AppendLine("                  (--filter *Parse*, --job short, --list flat); without --job a short in-process job (not part of all)");
    text.AppendLine("  pool            subnet-from-pool allocations by pool usage [--pool C] [--prefixlen N] [--levels 0,50,99] (not part of all)");
    text.AppendLine();
    text.AppendLine("  --quick         everything small (a smoke test: well under two minutes)");
    text.AppendLine("  --no-fsync      SQLite synchronous=NORMAL instead of FULL (not how ipam serve runs)");
    text.AppendLine("  --no-neutron    skip the Neutron side-by-side figures (run when the harness script is found and Python can import python3-neutron)");
    text.AppendLine($"  --neutron-script PATH  the Neutron harness, bench_neutron.py (or ${NeutronHarness.ScriptVariable}; default: {NeutronHarness.RepositoryScript} in this checkout, if there)");
    text.AppendLine($"  --python PATH   the Python that runs it (or ${NeutronHarness.PythonVariable}; default: {NeutronHarness.DefaultPython} on PATH)");
    output.Write(text.ToString());
}
