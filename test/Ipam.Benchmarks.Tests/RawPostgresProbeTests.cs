using System.Data.Common;
using Ipam.Benchmarks.Workloads;

namespace Ipam.Benchmarks.Tests;

public sealed class RawPostgresProbeTests
{
    [Fact]
    public async Task MeasureAsync_PoolerConnectionString_CommitsUnpreparedThroughPgBouncerAndCountsItsRows()
    {
        var (context, url) = await BenchPostgres.DatabaseAsync();
        await using var _ = context;
        await using var setup = await PgScaleSetup.StartPooledAsync(url, 0, durable: true, poolSize: 2);
        var probe = new RawPostgresProbe(setup.ConnectionString);
        await probe.PrepareAsync();

        var rate = await probe.MeasureAsync(4, TimeSpan.FromSeconds(0.5));
        rate += await probe.MeasureAsync(4, TimeSpan.FromSeconds(0.5));

        Assert.True(rate > 0);
        Assert.True(probe.Committed > 4, $"{probe.Committed} commits");
        Assert.Equal(probe.Committed, await setup.CountRawAsync(probe.SubnetId));
    }

    [Fact]
    public async Task MeasureAsync_PreparedThroughPgBouncer_FailsOnAnotherServerConnection()
    {
        // Why the probe must not prepare behind a transaction pooler: with two server connections handed out in
        // turn, a client's statement prepared on one is missing on the other.
        var (context, url) = await BenchPostgres.DatabaseAsync();
        await using var _ = context;
        await using var setup = await PgScaleSetup.StartPooledAsync(url, 0, durable: true, poolSize: 2);
        var probe = new RawPostgresProbe(setup.ConnectionString, prepared: true);
        await probe.PrepareAsync();

        // Eight clients for two seconds: under load four for half a second could all land on one server connection.
        await Assert.ThrowsAnyAsync<DbException>(() => probe.MeasureAsync(8, TimeSpan.FromSeconds(2)));
    }
}
