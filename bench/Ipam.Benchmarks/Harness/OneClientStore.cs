using Ipam.Api.Hosting;
using Ipam.Benchmarks.Workloads;

namespace Ipam.Benchmarks.Harness;

/// <summary>
/// An instance on SQLite or on a throwaway PostgreSQL database, for a workload of one client, with the raw commit rate
/// of one client beside it: single-row transactions in a file beside Ipam's, or on the same PostgreSQL database.
/// </summary>
internal sealed class OneClientStore : IAsyncDisposable
{
    private readonly RawInsertProbe? _sqlite;
    private readonly RawPostgresProbe? _postgres;
    private double _lastRawRate = 1000;

    private OneClientStore(IpamInstance ipam, RawPostgresProbe? postgres)
    {
        Ipam = ipam;
        _postgres = postgres;
        _sqlite = postgres is null ? ipam.RawProbe() : null;
    }

    public IpamInstance Ipam { get; }

    /// <summary>The stores <c>--store</c> names (<paramref name="fallback"/> when not given).</summary>
    public static string[] Stores(BenchContext context, string fallback) => context.Option("--store", fallback) switch
    {
        "sqlite" => [DatabaseLocation.Sqlite],
        "postgres" or "postgresql" => [DatabaseLocation.PostgreSql],
        "both" => [DatabaseLocation.Sqlite, DatabaseLocation.PostgreSql],
        var other => throw new BenchOptionException(ChoiceOptions.Refusal("--store", ChoiceOptions.StoresOrBoth, other)),
    };

    /// <summary>A warmed-up instance on <paramref name="store"/>; none, and why, when PostgreSQL is unavailable.</summary>
    public static async Task<(OneClientStore? Store, string Reason)> StartAsync(BenchContext context, string store, string name)
    {
        DatabaseLocation database;
        RawPostgresProbe? postgres = null;
        if (store == DatabaseLocation.PostgreSql)
        {
            var (url, reason) = await context.PostgresDatabaseAsync();
            if (url is null)
            {
                return (null, reason);
            }

            database = new DatabaseLocation(DatabaseLocation.PostgreSql, url);
            postgres = new RawPostgresProbe(BenchContext.ConnectionString(url));
            await postgres.PrepareAsync();
        }
        else
        {
            database = new DatabaseLocation(DatabaseLocation.Sqlite, Path.Combine(context.NewDirectory(name), "ipam.db"));
        }

        var opened = new OneClientStore(await IpamInstance.StartAsync(database, context.Durable), postgres);
        await FillWorkload.WarmUpAsync(opened.Ipam, async () => await opened.RawAsync(100));
        return (opened, "");
    }

    /// <summary>
    /// The raw commit rate of one client over <paramref name="commits"/> commits (on PostgreSQL, for as long as that
    /// many took at the last rate measured).
    /// </summary>
    public async Task<double> RawAsync(int commits)
    {
        _lastRawRate = _sqlite is not null
            ? _sqlite.Measure(commits)
            : await _postgres!.MeasureAsync(1, TimeSpan.FromSeconds(commits / _lastRawRate));
        return _lastRawRate;
    }

    public async ValueTask DisposeAsync()
    {
        _sqlite?.Dispose();
        await Ipam.DisposeAsync();
    }
}
