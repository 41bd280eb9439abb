using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Ipam.Addressing;
using Ipam.Api.Hosting;
using Ipam.Benchmarks.Harness;
using Ipam.Subnets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// Loads a <see cref="ScaleShape"/> into a new database, as an import without history. The server creates the
/// database (migrations) and the big and the empty subnet through the service layer; then, with the server
/// stopped, the small subnets and every allocation are written directly by the store's
/// <see cref="IScaleLoadTarget"/> (<see cref="ScaleSqliteLoader"/>, <see cref="ScalePostgresLoader"/>):
/// <list type="bullet">
/// <item>subnets as the service builds them (<see cref="SubnetRules"/>: default gateway, default allocation
/// pools, revision 1);</item>
/// <item>allocations drawn at random inside their subnet's allocation pools (so never the network, broadcast
/// or gateway address), distinct by construction and by the primary key, written in key order;</item>
/// <item>the keys, foreign keys and indexes that a store would check row by row are dropped for the load and
/// created again from their own definitions afterwards, checking every row (PostgreSQL; see
/// <see cref="IScaleLoadTarget.DeferKeys"/>);</item>
/// <item><c>subnet_usage</c> is recounted afterwards with the expressions of the repair path (<c>ipam check
/// --repair</c>): the service adds to the counters at each commit, and the load does not go through it.</item>
/// </list>
/// Loaded rows get no change-log entry (the free-address indexes are built from the rows, so they need none).
/// </summary>
internal static class ScaleLoader
{
    public const string ManifestFile = "manifest.json";

    /// <summary>Loads into a new SQLite file in <paramref name="directory"/>.</summary>
    public static Task<ScaleManifest> LoadAsync(ScaleShape shape, string directory, TextWriter log, int seed = 7) =>
        LoadAsync(shape, new DatabaseLocation(DatabaseLocation.Sqlite, Path.Combine(directory, "ipam.db")), directory, log, seed);

    /// <summary>Loads into <paramref name="database"/>, new and empty; the manifest goes to <paramref name="directory"/>.</summary>
    public static async Task<ScaleManifest> LoadAsync(ScaleShape shape, DatabaseLocation database, string directory, TextWriter log, int seed = 7)
    {
        var watch = Stopwatch.StartNew();
        Subnet big, empty;
        await using (var ipam = await IpamInstance.StartAsync(database, durable: false))
        {
            big = await ipam.CreateSubnetAsync(shape.BigCidr, "scale-big");
            empty = await ipam.CreateSubnetAsync(shape.EmptyCidr, "scale-empty");
        }

        var counts = new long[shape.SmallSubnets + 2];
        var freeRanges = new long[counts.Length];
        Subnet[] subnets;
        double subnetSeconds;
        long subnetBytes, allocationBytes, settledBytes;
        Dictionary<string, long> bytesByTable;
        using (var target = OpenTarget(database))
        {
            var keys = target.DeferKeys();
            var before = target.DatabaseBytes();
            var small = BuildSubnets(shape);
            target.InsertSubnets(small);
            subnets = [big, empty, .. small];
            var withSubnets = target.DatabaseBytes();
            subnetBytes = withSubnets - before;
            subnetSeconds = watch.Elapsed.TotalSeconds;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  scale: {subnets.Length:N0} subnets created in {subnetSeconds:F1} s"));
            watch.Restart();
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] = i switch { 0 => shape.BigAllocations, 1 => 0, _ => shape.SmallAllocationsAt(i - 2) };
            }

            WriteAllocations(target, subnets, counts, freeRanges, new Random(seed), log);
            var rebuild = Stopwatch.StartNew();
            target.RestoreKeys();
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  scale: {keys} keys and indexes created again in {rebuild.Elapsed.TotalSeconds:F1} s"));
            var recount = Stopwatch.StartNew();
            target.Recount();
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  scale: usage recounted in {recount.Elapsed.TotalSeconds:F1} s"));
            allocationBytes = target.DatabaseBytes() - withSubnets;
            target.Settle();
            settledBytes = target.SettledBytes();
            bytesByTable = target.BytesByTable();
        }

        var allocationSeconds = watch.Elapsed.TotalSeconds;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  scale: {counts.Sum():N0} allocations written and counted in {allocationSeconds:F1} s ({counts.Sum() / allocationSeconds:N0}/s)"));
        var described = subnets.Select((s, i) => new ScaleSubnet(s.Id, s.Cidr.ToString(), counts[i], freeRanges[i])).ToArray();
        var manifest = new ScaleManifest(database, described[0], described[1], described[2..], subnetSeconds, allocationSeconds,
            settledBytes, subnetBytes, allocationBytes, bytesByTable);
        await File.WriteAllTextAsync(Path.Combine(directory, ManifestFile), JsonSerializer.Serialize(manifest));
        return manifest;
    }

    /// <summary>
    /// A server on the loaded database (which no other may serve), with a request deadline long enough for the
    /// usage check, which reads every allocation (past the default 10 s at 10^7 on two busy cores).
    /// </summary>
    public static Task<IpamInstance> StartAsync(ScaleManifest manifest, bool durable, long? cacheBytes = null) =>
        IpamInstance.StartAsync(manifest.Database, durable, configure: options => options with
        {
            CacheBytes = cacheBytes ?? options.CacheBytes,
            RequestTimeout = TimeSpan.FromMinutes(30),
        });

    public static async Task<ScaleManifest> ReadManifestAsync(string directory) =>
        JsonSerializer.Deserialize<ScaleManifest>(await File.ReadAllTextAsync(Path.Combine(directory, ManifestFile)))
        ?? throw new InvalidDataException($"No manifest in {directory}.");

    /// <summary>An open connection for reading the loaded database beside the server.</summary>
    public static DbConnection OpenReader(DatabaseLocation database)
    {
        DbConnection connection = database.Kind == DatabaseLocation.Sqlite
            ? new SqliteConnection($"Data Source={database.Target};Mode=ReadOnly;Pooling=False")
            : new NpgsqlConnection(BenchContext.ConnectionString(database.Target));
        connection.Open();
        return connection;
    }

    private static IScaleLoadTarget OpenTarget(DatabaseLocation database) => database.Kind == DatabaseLocation.Sqlite
        ? new ScaleSqliteLoader(database.Target)
        : new ScalePostgresLoader(BenchContext.ConnectionString(database.Target));

    /// <summary>The small subnets, as the service builds them.</summary>
    private static Subnet[] BuildSubnets(ScaleShape shape)
    {
        var now = DateTimeOffset.UtcNow;
        var subnets = new Subnet[shape.SmallSubnets];
        for (var i = 0; i < subnets.Length; i++)
        {
            var cidr = Cidr.Parse(shape.SmallCidr(i));
            var gateway = SubnetRules.DefaultGateway(cidr);
            subnets[i] = new Subnet
            {
                Id = Guid.CreateVersion7(now),
                Cidr = cidr,
                Gateway = gateway,
                AllocationPools = SubnetRules.DefaultPools(cidr, gateway),
                Name = $"scale-{i}",
                CreatedAt = now,
            };
        }

        return subnets;
    }

    private static void WriteAllocations(IScaleLoadTarget target, Subnet[] subnets, long[] counts, long[] freeRanges, Random random, TextWriter log)
    {
        var written = 0L;
        var total = counts.Sum();
        var progress = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;

        // In the primary key's order (subnet id as text, which is also uuid order, then address): every insert
        // appends to the B-tree.
        foreach (var i in Enumerable.Range(0, subnets.Length).OrderBy(i => subnets[i].Id.ToString("D"), StringComparer.Ordinal))
        {
            target.BeginSubnet(subnets[i].Id);
            freeRanges[i] = ScalePoolSample.Draw(subnets[i].AllocationPools, counts[i], random, target.Add);
            target.EndSubnet();
            written += counts[i];
            if (progress.Elapsed - lastReport > TimeSpan.FromSeconds(10))
            {
                lastReport = progress.Elapsed;
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  scale: {written:N0} / {total:N0} allocations ({written / progress.Elapsed.TotalSeconds:N0}/s)"));
            }
        }

        target.EndAllocations();
    }
}
