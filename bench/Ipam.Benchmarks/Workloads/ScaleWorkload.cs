using System.Globalization;
using System.Text.Json;
using Ipam.Addressing;
using Ipam.Api.Hosting;
using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// Ipam at scale on SQLite, or on PostgreSQL with <c>--store postgres</c>: 10^7 allocations over 10^5 subnets
/// (<see cref="ScaleShape"/>, loaded by <see cref="ScaleLoader"/>), then what must not grow with them: reading a
/// subnet, deep list pages, the first allocation after a restart, memory under <c>--cache-mb</c>, and the
/// single-allocation rate against the raw commit limit.
/// </summary>
internal static class ScaleWorkload
{
    public const string Summary =
        "10^7 allocations over 10^5 subnets (direct load), then GET, deep pages, restart, RSS by --cache-mb, rate vs raw [--store sqlite|postgres] [--allocations N] [--subnets N] [--samples N] [--touch N] [--cache-mbs 16,64,256] [--pg URL]";

    public static async Task<WorkloadReport> RunAsync(BenchContext context)
    {
        var shape = ScaleShape.From(context);
        var directory = context.NewDirectory("scale");
        var database = await DatabaseAsync(context, directory);
        var onPostgres = database.Kind == DatabaseLocation.PostgreSql ? ", PostgreSQL" : "";
        var report = new WorkloadReport("scale", $"At scale: {Stats.Integer(shape.Allocations)} allocations over {Stats.Integer(shape.Subnets)} subnets{onPostgres}");
        var manifest = await ScaleLoader.LoadAsync(shape, database, directory, context.Log);
        var goals = report.AddTable("At scale: the goals", "measurement", "at scale", "baseline", "ratio", "goal", "verdict");
        AddLoadTable(report, manifest);
        await using (var ipam = await ScaleLoader.StartAsync(manifest, context.Durable))
        {
            using var reads = new ScaleReads(ipam.BaseAddress);
            await CheckUsageAsync(reads, manifest, report, context.Log);
            await MeasureReadsAsync(context, reads, manifest, report, goals);
            await ScaleRates.MeasureAsync(context, ipam, manifest, report, goals);
            await CheckUsageAsync(reads, manifest, report, context.Log);
        }

        await ScaleMemory.MeasureAsync(context, directory, manifest, report, goals);
        report.Notes.Add(onPostgres.Length == 0 ? SqliteNote(context) : PostgresNote);
        // A --pg URL may carry a password: the report names the store only.
        report.Data["manifest"] = manifest with { Small = [], Database = onPostgres.Length == 0 ? database : database with { Target = "" } };
        return report;
    }

    /// <summary>A new SQLite file in <paramref name="directory"/>, or a new PostgreSQL database (--pg's, or on a throwaway cluster).</summary>
    private static async Task<DatabaseLocation> DatabaseAsync(BenchContext context, string directory)
    {
        switch (context.Option("--store", "sqlite"))
        {
            case "sqlite":
                return new DatabaseLocation(DatabaseLocation.Sqlite, Path.Combine(directory, "ipam.db"));
            case "postgres":
                var (url, reason) = await context.PostgresDatabaseAsync();
                return new DatabaseLocation(DatabaseLocation.PostgreSql, url ?? throw new InvalidOperationException($"PostgreSQL is not available: {reason}"));
            default:
                throw new BenchOptionException(ChoiceOptions.Refusal("--store", ChoiceOptions.Stores, context.Option("--store", "")));
        }
    }

    private static string SqliteNote(BenchContext context) =>
        $"SQLite {FillWorkload.Sync(context.Durable)}. The database is made by the server (migrations; the big and the empty subnet through the service layer), " +
        "then loaded directly with the server stopped (see docs/operations.md, Sizing): the small subnets as the service builds them, random addresses inside each subnet's " +
        "allocation pools in primary-key order, 250,000 rows per transaction, usage recounted with the repair path's SQL through the end of the change log; " +
        "no change-log entries for loaded rows. The server then checks the file (GET /v1/usage-check: no subnet's counters differ from its rows) before anything is measured, " +
        "and again after the allocations the rate measurement made.";

    private const string PostgresNote =
        "PostgreSQL (the server's synchronous_commit). The database is made by the server (migrations; the big and the empty subnet through the service layer), " +
        "then loaded directly with the server stopped: the small subnets as the service builds them, random addresses inside each subnet's allocation pools in primary-key order, " +
        "with binary COPY (one COPY for all the allocations), as pg_restore loads: the keys, foreign keys and indexes of allocations and allocation_pools dropped for the load and " +
        "created again from their own definitions afterwards (every row checked in one pass each), " +
        "usage recounted with the repair path's SQL into each subnet's row, through the end of the change log, then VACUUM (ANALYZE) and a checkpoint; no change-log entries for loaded rows. The server then checks the database (GET /v1/usage-check) " +
        "before anything is measured, and again after the allocations the rate measurement made.";

    /// <summary>The <c>ipam check</c> of the loaded database: a counter that differs from the rows fails the run.</summary>
    private static async Task CheckUsageAsync(ScaleReads reads, ScaleManifest manifest, WorkloadReport report, TextWriter log)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var check = JsonDocument.Parse(await reads.GetStringAsync("/v1/usage-check"));
        var checkedSubnets = check.RootElement.GetProperty("subnets_checked").GetInt64();
        var mismatches = check.RootElement.GetProperty("mismatches").GetArrayLength();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  scale: usage check of {checkedSubnets:N0} subnets in {watch.Elapsed.TotalSeconds:F1} s, {mismatches} mismatches"));
        if (mismatches != 0 || checkedSubnets < manifest.Subnets)
        {
            throw new InvalidOperationException($"The loaded database fails the usage check: {mismatches} mismatches over {checkedSubnets} subnets.");
        }

        report.Data[report.Data.ContainsKey("usage_check_seconds") ? "usage_recheck_seconds" : "usage_check_seconds"] = watch.Elapsed.TotalSeconds;
    }

    private static async Task MeasureReadsAsync(BenchContext context, ScaleReads reads, ScaleManifest manifest, WorkloadReport report, Table goals)
    {
        var samples = context.Int("--samples", context.Quick ? 200 : 1000);
        var big = manifest.Big;
        var (getBig, getEmpty) = await reads.MedianPairAsync($"/v1/subnets/{big.Id}", $"/v1/subnets/{manifest.Empty.Id}", samples);
        AddGoal(report, goals, $"GET /v1/subnets/{{id}} p50, {Stats.Integer(big.Loaded)} allocations vs an empty /{Cidr.Parse(big.Cidr).PrefixLength}",
            getBig, getEmpty, 2);

        const int allocationLimit = 100;
        var allocationPage = (int)Math.Clamp(big.Loaded / allocationLimit, 1, 10_000);
        var allocationCursor = ScaleReads.Cursor(manifest.Database, allocationPage, allocationLimit, "allocations", "ip",
            $"subnet_id = '{big.Id:D}'", r => IpAddress.FromKey(IpVersion.V4, (byte[])r[0]).ToString());
        var allocations = $"/v1/subnets/{big.Id}/allocations?limit={allocationLimit}";
        var (deepAllocations, firstAllocations) = await reads.MedianPairAsync($"{allocations}&cursor={allocationCursor}", allocations, samples / 2);
        AddGoal(report, goals, $"GET allocations of the big subnet p50, page {Stats.Integer(allocationPage)} vs page 1 ({allocationLimit} a page)",
            deepAllocations, firstAllocations, 2);

        const int subnetLimit = 10;
        var subnetPage = Math.Clamp(manifest.Subnets / subnetLimit, 1, 10_000);
        var subnetCursor = ScaleReads.Cursor(manifest.Database, subnetPage, subnetLimit, "subnets", "id", "true", r => $"{r.GetValue(0)}");
        var subnets = $"/v1/subnets?limit={subnetLimit}";
        var (deepSubnets, firstSubnets) = await reads.MedianPairAsync($"{subnets}&cursor={subnetCursor}", subnets, samples / 2);
        AddGoal(report, goals, $"GET /v1/subnets p50, page {Stats.Integer(subnetPage)} vs page 1 ({subnetLimit} a page, with usage)",
            deepSubnets, firstSubnets, 2);
        report.Notes.Add($"Reads over HTTP on loopback, one client, requests of the two sides interleaved; {samples} samples of GET subnet, {samples / 2} of each page, after a warm-up. " +
            "Deep pages are asked for with the keyset cursor of the page before them (read from the database), as a client that walked there would.");
    }

    /// <summary>A goal row: times in ms, the ratio at scale / baseline and whether it is within <paramref name="limit"/>.</summary>
    public static void AddGoal(WorkloadReport report, Table goals, string name, double atScale, double baseline, double limit)
    {
        var ratio = atScale / baseline;
        var met = ratio <= limit;
        goals.Add(name, $"{Stats.Milliseconds(atScale)} ms", $"{Stats.Milliseconds(baseline)} ms", Stats.Times(ratio), $"≤ {Stats.Times(limit)}", met ? "met" : "not met");
        report.Goals.Add(new Goal(name, $"≤ {Stats.Times(limit)}", $"{Stats.Times(ratio)} ({Stats.Milliseconds(atScale)} vs {Stats.Milliseconds(baseline)} ms)", met));
    }

    private static void AddLoadTable(WorkloadReport report, ScaleManifest manifest)
    {
        var table = report.AddTable("At scale: the load and the file", "what", "value");
        table.Add("subnets (big, empty, small)", $"{Stats.Integer(manifest.Subnets)} ({manifest.Big.Cidr}, {manifest.Empty.Cidr}, {Stats.Integer(manifest.Small.Count)} × /{manifest.Small[0].Cidr.Split('/')[1]})");
        table.Add("allocations (big subnet, small subnets)", $"{Stats.Integer(manifest.Allocations)} ({Stats.Integer(manifest.Big.Loaded)}, {Stats.Integer(manifest.Allocations - manifest.Big.Loaded)})");
        table.Add("subnets created (big and empty by the service, the rest directly)", string.Create(CultureInfo.InvariantCulture, $"{manifest.SubnetSeconds:F1} s ({manifest.Subnets / manifest.SubnetSeconds:N0}/s)"));
        table.Add("allocations written directly and counted", string.Create(CultureInfo.InvariantCulture, $"{manifest.AllocationSeconds:F1} s ({manifest.Allocations / manifest.AllocationSeconds:N0}/s)"));
        table.Add(manifest.Database.Kind == DatabaseLocation.Sqlite ? "database file" : "database (pg_database_size, after VACUUM)", $"{Stats.Megabytes(manifest.FileBytes)} MB ({Stats.Rate((double)manifest.FileBytes / manifest.Allocations)} bytes per allocation)");
        table.Add("  grown by the small subnets", $"{Stats.Megabytes(manifest.SmallSubnetBytes)} MB ({Stats.Rate((double)manifest.SmallSubnetBytes / manifest.Small.Count)} bytes per subnet, its pool and usage row)");
        table.Add("  grown by the allocations", $"{Stats.Megabytes(manifest.AllocationBytes)} MB ({Stats.Rate((double)manifest.AllocationBytes / manifest.Allocations)} bytes per allocation, one row)");
        foreach (var (name, bytes) in manifest.BytesByTable.Where(t => t.Value >= manifest.FileBytes / 100))
        {
            table.Add($"  {name}", $"{Stats.Megabytes(bytes)} MB ({Stats.Rate((double)bytes / manifest.Allocations)} bytes per allocation)");
        }

        table.Add("free ranges left (big subnet, all small subnets)", $"{Stats.Integer(manifest.Big.FreeRanges)}, {Stats.Integer(manifest.Small.Sum(s => s.FreeRanges))}");
    }
}
