using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ipam.Addressing;
using Ipam.Api.Hosting;
using Ipam.Benchmarks.Harness;
using Ipam.Storage.Sql;
using Ipam.Subnets;
using Microsoft.Data.Sqlite;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// Loads a <see cref="ScaleShape"/> into a new SQLite database, as an import without history. The server
/// creates the database (migrations) and the big and the empty subnet through the service layer; then, with
/// the server stopped, the small subnets and every allocation are written directly, in large transactions:
/// <list type="bullet">
/// <item>subnets as the service builds them (<see cref="SubnetRules"/>: default gateway, default allocation
/// pools, revision 1), one usage row each from the database's own trigger;</item>
/// <item>allocations drawn at random inside their subnet's allocation pools (so never the network, broadcast
/// or gateway address), distinct by construction and by the primary key, inserted in key order;</item>
/// <item>the counting triggers on <c>allocations</c> are dropped for the load and recreated from their own
/// stored text afterwards, and <c>subnet_usage</c> is recounted with the expressions of the repair path
/// (<c>ipam check --repair</c>), in the transaction that restores the triggers.</item>
/// </list>
/// Loaded rows get no change-log entry (the free-address indexes are built from the rows, so they need none).
/// </summary>
internal static class ScaleLoader
{
    public const string ManifestFile = "manifest.json";

    private const int RowsPerTransaction = 250_000;

    private const int RowsPerStatement = 5_000;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static async Task<ScaleManifest> LoadAsync(ScaleShape shape, string directory, TextWriter log, int seed = 7)
    {
        var path = Path.Combine(directory, "ipam.db");
        var watch = Stopwatch.StartNew();
        Subnet big, empty;
        await using (var ipam = await IpamInstance.StartAsync(new DatabaseLocation(DatabaseLocation.Sqlite, path), durable: false))
        {
            big = await ipam.CreateSubnetAsync(shape.BigCidr, "scale-big");
            empty = await ipam.CreateSubnetAsync(shape.EmptyCidr, "scale-empty");
        }

        var counts = new long[shape.SmallSubnets + 2];
        var freeRanges = new long[counts.Length];
        Subnet[] subnets;
        double subnetSeconds;
        long subnetBytes, allocationBytes;
        using (var connection = Open(path))
        {
            var triggers = DropAllocationTriggers(connection);
            var before = DatabaseBytes(connection);
            subnets = [big, empty, .. InsertSubnets(connection, shape)];
            var withSubnets = DatabaseBytes(connection);
            subnetBytes = withSubnets - before;
            subnetSeconds = watch.Elapsed.TotalSeconds;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  scale: {subnets.Length:N0} subnets created in {subnetSeconds:F1} s"));
            watch.Restart();
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] = i switch { 0 => shape.BigAllocations, 1 => 0, _ => shape.SmallAllocationsAt(i - 2) };
            }

            InsertAllocations(connection, subnets, counts, freeRanges, new Random(seed), log);
            RestoreAndRecount(connection, triggers, log);
            allocationBytes = DatabaseBytes(connection) - withSubnets;
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }

        var allocationSeconds = watch.Elapsed.TotalSeconds;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  scale: {counts.Sum():N0} allocations written and counted in {allocationSeconds:F1} s ({counts.Sum() / allocationSeconds:N0}/s)"));
        var described = subnets.Select((s, i) => new ScaleSubnet(s.Id, s.Cidr.ToString(), counts[i], freeRanges[i])).ToArray();
        var manifest = new ScaleManifest(path, described[0], described[1], described[2..], subnetSeconds, allocationSeconds,
            new FileInfo(path).Length, subnetBytes, allocationBytes, BytesByTable(path));
        await File.WriteAllTextAsync(Path.Combine(directory, ManifestFile), JsonSerializer.Serialize(manifest));
        return manifest;
    }

    /// <summary>
    /// A server on the loaded file (which no other may serve), with a request deadline long enough for the usage
    /// check, which reads every allocation (past the default 10 s at 10^7 on two busy cores).
    /// </summary>
    public static Task<IpamInstance> StartAsync(ScaleManifest manifest, bool durable, long? cacheBytes = null) =>
        IpamInstance.StartAsync(new DatabaseLocation(DatabaseLocation.Sqlite, manifest.DatabasePath), durable, configure: options => options with
        {
            CacheBytes = cacheBytes ?? options.CacheBytes,
            RequestTimeout = TimeSpan.FromMinutes(30),
        });

    public static async Task<ScaleManifest> ReadManifestAsync(string directory) =>
        JsonSerializer.Deserialize<ScaleManifest>(await File.ReadAllTextAsync(Path.Combine(directory, ManifestFile)))
        ?? throw new InvalidDataException($"No manifest in {directory}.");

    /// <summary>The small subnets, built by the service's rules and written with the columns the store writes.</summary>
    private static Subnet[] InsertSubnets(SqliteConnection connection, ScaleShape shape)
    {
        var now = DateTimeOffset.UtcNow;
        var subnets = new Subnet[shape.SmallSubnets];
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO subnets (id, cidr, ip_version, network, prefix_length, gateway, name, created_at, revision, reuse_cooldown_seconds)
            VALUES ($id, $cidr, $version, $network, $prefix, $gateway, $name, $created, $revision, 0)
            """;
        using var pool = connection.CreateCommand();
        pool.Transaction = transaction;
        pool.CommandText = "INSERT INTO allocation_pools (subnet_id, first_ip, last_ip) VALUES ($subnet, $first, $last)";
        for (var i = 0; i < subnets.Length; i++)
        {
            var cidr = Cidr.Parse(shape.SmallCidr(i));
            var gateway = SubnetRules.DefaultGateway(cidr);
            var subnet = new Subnet
            {
                Id = Guid.CreateVersion7(now),
                Cidr = cidr,
                Gateway = gateway,
                AllocationPools = SubnetRules.DefaultPools(cidr, gateway),
                Name = $"scale-{i}",
                CreatedAt = now,
            };
            Run(insert, ("$id", subnet.Id.ToString("D")), ("$cidr", cidr.ToString()), ("$version", (int)cidr.Version), ("$network", cidr.Network.ToKey()),
                ("$prefix", cidr.PrefixLength), ("$gateway", (object?)gateway?.ToKey() ?? DBNull.Value), ("$name", subnet.Name),
                ("$created", now.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)), ("$revision", subnet.Revision));
            foreach (var range in subnet.AllocationPools)
            {
                Run(pool, ("$subnet", subnet.Id.ToString("D")), ("$first", range.First.ToKey()), ("$last", range.Last.ToKey()));
            }

            subnets[i] = subnet;
        }

        transaction.Commit();
        return subnets;
    }

    /// <summary>Drops the triggers that count allocations; returns their names and stored definitions.</summary>
    private static List<(string Name, string Sql)> DropAllocationTriggers(SqliteConnection connection)
    {
        var triggers = new List<(string, string)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'allocations' ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                triggers.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in triggers)
        {
            Execute(connection, $"DROP TRIGGER \"{name}\"");
        }

        return triggers;
    }

    /// <summary>Recreates the triggers and recounts every subnet's usage row with the repair path's expressions, in one transaction.</summary>
    private static void RestoreAndRecount(SqliteConnection connection, List<(string Name, string Sql)> triggers, TextWriter log)
    {
        var watch = Stopwatch.StartNew();
        using var transaction = connection.BeginTransaction();
        foreach (var (_, sql) in triggers)
        {
            Execute(connection, sql, transaction);
        }

        Execute(connection, $"UPDATE subnet_usage SET allocated = {UsageSql.Allocated("subnet_usage.subnet_id")}, in_pools = {UsageSql.InPools("subnet_usage.subnet_id")}", transaction);
        transaction.Commit();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  scale: {triggers.Count} counting triggers restored and usage recounted in {watch.Elapsed.TotalSeconds:F1} s"));
    }

    private static void InsertAllocations(SqliteConnection connection, Subnet[] subnets, long[] counts, long[] freeRanges, Random random, TextWriter log)
    {
        using var insert = connection.CreateCommand();
        // One statement per batch of a subnet's addresses, which SQLite unpacks itself (json_each, unhex): a statement
        // per row costs several times the insert.
        insert.CommandText = """
            INSERT INTO allocations (subnet_id, ip, created_at, created_by)
            SELECT $subnet, unhex(value), $at, 'scale-load' FROM json_each($ips) ORDER BY key
            """;
        var subnetId = insert.Parameters.Add("$subnet", SqliteType.Text);
        var ips = insert.Parameters.Add("$ips", SqliteType.Text);
        insert.Parameters.AddWithValue("$at", DateTime.UtcNow.ToString(TimeFormat, CultureInfo.InvariantCulture));
        var transaction = connection.BeginTransaction();
        insert.Transaction = transaction;
        var batch = new StringBuilder();
        var inBatch = 0;
        var written = 0L;
        var committed = 0L;
        var total = counts.Sum();
        var progress = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;

        void Flush()
        {
            if (inBatch == 0)
            {
                return;
            }

            ips.Value = batch.Append(']').ToString();
            insert.ExecuteNonQuery();
            written += inBatch;
            batch.Clear();
            inBatch = 0;
            if (written - committed >= RowsPerTransaction)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                committed = written;
                if (progress.Elapsed - lastReport > TimeSpan.FromSeconds(10))
                {
                    lastReport = progress.Elapsed;
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  scale: {written:N0} / {total:N0} allocations ({written / progress.Elapsed.TotalSeconds:N0}/s)"));
                }
            }
        }

        // In the primary key's order (subnet id as text, then address): every insert appends to the B-tree.
        foreach (var i in Enumerable.Range(0, subnets.Length).OrderBy(i => subnets[i].Id.ToString("D"), StringComparer.Ordinal))
        {
            subnetId.Value = subnets[i].Id.ToString("D");
            freeRanges[i] = ScalePoolSample.Draw(subnets[i].AllocationPools, counts[i], random, address =>
            {
                batch.Append(inBatch == 0 ? "[\"" : ",\"").Append(Convert.ToHexString(address.ToKey())).Append('"');
                if (++inBatch == RowsPerStatement)
                {
                    Flush();
                }
            });
            Flush();
        }

        transaction.Commit();
        transaction.Dispose();
    }

    /// <summary>Bytes per table and index (SQLite's dbstat), or nothing when this SQLite build has no dbstat.</summary>
    private static Dictionary<string, long> BytesByTable(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC";
        var sizes = new Dictionary<string, long>();
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                sizes[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        catch (SqliteException)
        {
            // No dbstat in this build: the file size alone is reported.
        }

        return sizes;
    }

    /// <summary>The database's size in pages (committed, whether still in the WAL or not), in bytes.</summary>
    private static long DatabaseBytes(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()";
        return (long)command.ExecuteScalar()!;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA foreign_keys = ON");
        Execute(connection, "PRAGMA synchronous = OFF");
        Execute(connection, "PRAGMA cache_size = -65536");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Run(SqliteCommand command, params (string Name, object Value)[] values)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in values)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
