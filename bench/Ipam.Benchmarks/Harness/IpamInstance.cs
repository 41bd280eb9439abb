using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Allocations.Strategies;
using Ipam.Api.Hosting;
using Ipam.Subnets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ipam.Benchmarks.Harness;

/// <summary>
/// One Ipam service started the way <c>ipam serve</c> starts it (<see cref="IpamHost.Build"/>, Kestrel on a free
/// loopback port), with its domain services at hand for service-layer workloads and its URL for HTTP ones.
/// </summary>
internal sealed class IpamInstance : IAsyncDisposable
{
    /// <summary>The largest count one allocation request may ask for.</summary>
    public const int MaxBulk = AllocationRequest.MaxCount;

    private readonly WebApplication _app;

    private IpamInstance(WebApplication app, DatabaseLocation database, bool durable)
    {
        _app = app;
        Database = database;
        Durable = durable;
        Subnets = app.Services.GetRequiredService<SubnetService>();
        Allocations = app.Services.GetRequiredService<AllocationService>();
        Cache = app.Services.GetRequiredService<FreeSpaceCache>();
        BaseAddress = new Uri(app.Urls.First());
    }

    public DatabaseLocation Database { get; }

    public bool Durable { get; }

    public SubnetService Subnets { get; }

    public AllocationService Allocations { get; }

    public FreeSpaceCache Cache { get; }

    /// <summary>Where Kestrel listens (read from <c>app.Urls</c> after start).</summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// Starts an instance; <paramref name="map"/> adds a workload's own probe endpoints before the host starts, and
    /// <paramref name="configure"/> changes its options (cache budget, request deadline).
    /// </summary>
    public static async Task<IpamInstance> StartAsync(DatabaseLocation database, bool durable, Action<WebApplication>? map = null, Func<IpamHostOptions, IpamHostOptions>? configure = null)
    {
        var options = new IpamHostOptions { Urls = "http://127.0.0.1:0", Database = database, DurableCommits = durable };
        options = configure?.Invoke(options) ?? options;
        var app = IpamHost.Build(options, builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        map?.Invoke(app);
        await app.StartAsync();
        return new IpamInstance(app, database, durable);
    }

    /// <summary>Starts <paramref name="count"/> instances on one database, one after another.</summary>
    public static async Task<List<IpamInstance>> StartManyAsync(DatabaseLocation database, int count, bool durable)
    {
        var instances = new List<IpamInstance>();
        for (var i = 0; i < count; i++)
        {
            instances.Add(await StartAsync(database, durable));
        }

        return instances;
    }

    /// <summary>A SQLite instance on a fresh file in <paramref name="directory"/>.</summary>
    public static Task<IpamInstance> StartSqliteAsync(string directory, bool durable, Action<WebApplication>? map = null) =>
        StartAsync(new DatabaseLocation(DatabaseLocation.Sqlite, Path.Combine(directory, "ipam.db")), durable, map);

    /// <summary>
    /// The raw single-row commit probe. Durable: in this instance's own database file (a table of its own), so
    /// that both write the same WAL in the same state (a young WAL that still grows costs more per fsync than
    /// one that has wrapped after its first checkpoint). With fsync off the commit is cheap enough that
    /// checkpoints dominate, and sharing the WAL would make each side pay some of the other's, so the probe
    /// then uses a file beside it (same directory, same settings).
    /// </summary>
    public RawInsertProbe RawProbe(bool withChangeRow = false) => Database.Kind == DatabaseLocation.Sqlite
        ? new RawInsertProbe(Durable ? Database.Target : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(Database.Target))!, "raw.db"), Durable, withChangeRow)
        : throw new InvalidOperationException("The SQLite raw probe needs a SQLite instance.");

    public async Task<Subnet> CreateSubnetAsync(string cidr, string? name = null) =>
        (await Subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse(cidr), Name = name ?? "bench" })).Subnet;

    /// <summary>Allocates <paramref name="count"/> addresses with bulk requests (all or nothing, ≤ 10,000 each); returns them.</summary>
    public async Task<List<IpAddress>> FillAsync(Guid subnetId, long count, string strategy = AllocationStrategies.Random)
    {
        var addresses = new List<IpAddress>((int)Math.Min(count, 1 << 20));
        while (count > 0)
        {
            var take = (int)Math.Min(count, MaxBulk);
            var result = await Allocations.AllocateAsync(subnetId, new AllocationRequest { Strategy = strategy, Count = take, Owner = "fill" });
            addresses.AddRange(result.Select(a => a.Address));
            count -= take;
        }

        return addresses;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
