using Ipam.Benchmarks.Harness;
using Ipam.Benchmarks.Workloads;

namespace Ipam.Benchmarks.Tests.Harness;

public sealed class PgbenchTests
{
    [Fact]
    public void ConnInfo_PasswordWithQuoteAndBackslash_IsQuotedForLibpq()
    {
        var info = Pgbench.ConnInfo("Host=db.example;Port=6432;Database=ipam;Username=ipam;Password=it's\\secret");

        Assert.Equal(@"host='db.example' port=6432 dbname='ipam' user='ipam' password='it\'s\\secret'", info);
    }

    [Fact]
    public async Task RunInsertsAsync_ThroughPgBouncer_EveryProcessedTransactionIsARowWithItsLatency()
    {
        var pgbench = Pgbench.Find();
        Assert.NotNull(pgbench);
        var (context, url) = await BenchPostgres.DatabaseAsync();
        await using var _ = context;
        await using var setup = await PgScaleSetup.StartPooledAsync(url, 0, durable: true, poolSize: 2);
        await new RawPostgresProbe(setup.CheckConnectionString).PrepareAsync();
        var subnet = Guid.NewGuid();

        var result = await pgbench.RunInsertsAsync(setup.ConnectionString, subnet, setup.PgbenchMode, 4, 2, TimeSpan.FromSeconds(1), context.NewDirectory("pgbench"));

        Assert.True(result.Processed > 0, $"pgbench processed {result.Processed} transactions");
        Assert.Equal(0, result.Failed);
        Assert.True(result.Tps > 0);
        Assert.Equal(result.Processed, await setup.CountRawAsync(subnet));
        Assert.Equal(result.Processed, result.Latencies.Count);
    }
}
