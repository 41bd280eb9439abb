using Ipam.Api.Hosting;
using Ipam.Benchmarks.Harness;
using Ipam.Testing;
using Npgsql;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// One way of reaching a database: directly, or through a PgBouncer in transaction mode in front of it. Holds the
/// Ipam instances started on it (with their HTTP clients), the connection string pgbench and the probe use the same
/// way, and a direct connection string for counting rows afterwards.
/// </summary>
internal sealed class PgScaleSetup : IAsyncDisposable
{
    private readonly List<IpamInstance> _instances;
    private readonly PgBouncer? _bouncer;

    private PgScaleSetup(string name, string pgbenchMode, string connectionString, string checkConnectionString, List<IpamInstance> instances, PgBouncer? bouncer)
    {
        Name = name;
        PgbenchMode = pgbenchMode;
        ConnectionString = connectionString;
        CheckConnectionString = checkConnectionString;
        _instances = instances;
        _bouncer = bouncer;
        Clients = new PgScaleClients(instances.Select(i => i.BaseAddress));
    }

    public string Name { get; }

    /// <summary>
    /// pgbench's query mode: what Ipam's driver does on the same path (prepared statements directly, where Ipam lets
    /// Npgsql prepare its statements; unnamed extended-protocol statements through the pooler, as with pooler=transaction).
    /// </summary>
    public string PgbenchMode { get; }

    /// <summary>How clients reach the database on this path (through the pooler, if any).</summary>
    public string ConnectionString { get; }

    /// <summary>Straight to the server, for checks.</summary>
    public string CheckConnectionString { get; }

    public PgScaleClients Clients { get; }

    public int Instances => _instances.Count;

    public static async Task<PgScaleSetup> StartDirectAsync(string url, int instances, bool durable)
    {
        var connectionString = BenchContext.ConnectionString(url);
        return new PgScaleSetup("direct", "prepared", connectionString, connectionString, await StartInstancesAsync(url, instances, durable), null);
    }

    /// <summary>A PgBouncer with <paramref name="poolSize"/> server connections in front of the database, and instances with <c>pooler=transaction</c>.</summary>
    public static async Task<PgScaleSetup> StartPooledAsync(string url, int instances, bool durable, int poolSize)
    {
        var direct = BenchContext.ConnectionString(url);
        var bouncer = await PgBouncer.StartAsync(direct, poolSize);
        var pooledUrl = bouncer.UrlFor(url, "pooler=transaction");
        return new PgScaleSetup($"PgBouncer ({poolSize} server connections)", "extended", BenchContext.ConnectionString(pooledUrl), direct,
            await StartInstancesAsync(pooledUrl, instances, durable), bouncer);
    }

    /// <summary>Creates the subnets of <paramref name="scaleCase"/> in the <paramref name="block"/>-th /12 through the first instance.</summary>
    public async Task<Guid[]> CreateSubnetsAsync(PgScaleCase scaleCase, int block)
    {
        var ids = new List<Guid>();
        foreach (var cidr in scaleCase.Cidrs(block))
        {
            ids.Add((await _instances[0].CreateSubnetAsync(cidr.ToString(), "pg-scale")).Id);
        }

        return [.. ids];
    }

    /// <summary>Rows in the allocations of <paramref name="subnets"/>, and how many distinct (subnet, address) pairs they hold.</summary>
    public async Task<(long Rows, long Distinct)> CountAllocationsAsync(IReadOnlyList<Guid> subnets)
    {
        await using var connection = new NpgsqlConnection(CheckConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*), count(DISTINCT (subnet_id, ip)) FROM allocations WHERE subnet_id = ANY($1)", connection);
        count.Parameters.AddWithValue(subnets.ToArray());
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Rows the raw writers (pgbench, the probe) committed under <paramref name="subnetId"/>.</summary>
    public async Task<long> CountRawAsync(Guid subnetId)
    {
        await using var connection = new NpgsqlConnection(CheckConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {RawPostgresProbe.Table} WHERE subnet_id = $1", connection);
        count.Parameters.AddWithValue(subnetId);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The server's WAL position and next transaction id, read without taking one: their differences across a run
    /// are the WAL it wrote and the write transactions it committed (or aborted), exactly and at once.
    /// </summary>
    public async Task<PgScaleServerCounters> ServerCountersAsync()
    {
        await using var connection = new NpgsqlConnection(CheckConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand(
            "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint, pg_snapshot_xmax(pg_current_snapshot())::text::bigint", connection);
        await using var reader = await read.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new PgScaleServerCounters(reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Looks at the database's backends every 100 ms until <paramref name="stop"/>.</summary>
    public async Task<PgScaleActivity> SampleActivityAsync(CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(CheckConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var look = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE state = 'active'), count(*) FILTER (WHERE state = 'active' AND wait_event = 'advisory') " +
            "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        var (samples, active, waiting) = (0, 0L, 0L);
        while (!stop.IsCancellationRequested)
        {
            await using (var reader = await look.ExecuteReaderAsync(CancellationToken.None))
            {
                await reader.ReadAsync(CancellationToken.None);
                (samples, active, waiting) = (samples + 1, active + reader.GetInt64(0), waiting + reader.GetInt64(1));
            }

            await Task.WhenAny(Task.Delay(100, stop));
        }

        return samples == 0 ? PgScaleActivity.None : new PgScaleActivity(samples, (double)active / samples, (double)waiting / samples);
    }

    public async ValueTask DisposeAsync()
    {
        Clients.Dispose();
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        if (_bouncer is not null)
        {
            await _bouncer.DisposeAsync();
        }
    }

    private static Task<List<IpamInstance>> StartInstancesAsync(string url, int count, bool durable) =>
        IpamInstance.StartManyAsync(new DatabaseLocation(DatabaseLocation.PostgreSql, url), count, durable);
}
