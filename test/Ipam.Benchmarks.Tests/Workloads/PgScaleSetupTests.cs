using Ipam.Benchmarks.Workloads;

namespace Ipam.Benchmarks.Tests.Workloads;

public sealed class PgScaleSetupTests
{
    [Fact]
    public async Task Clients_ThroughPgBouncerOverTwoInstances_EveryAcknowledgedAllocationIsOneRow()
    {
        var (context, url) = await BenchPostgres.DatabaseAsync();
        await using var _ = context;
        await using var setup = await PgScaleSetup.StartPooledAsync(url, 2, durable: true, poolSize: 2);
        var subnets = await setup.CreateSubnetsAsync(new PgScaleCase("random", 16), 3);

        var outcome = await setup.Clients.RunAsync(subnets, "random", 8, TimeSpan.FromSeconds(2));
        var (rows, distinct) = await setup.CountAllocationsAsync(subnets);

        Assert.Equal(16, subnets.Distinct().Count());
        Assert.Empty(outcome.Failures);
        Assert.True(outcome.Acknowledged > 0);
        Assert.Equal(0, outcome.DuplicateAcknowledgements);
        Assert.Equal(outcome.Acknowledged, outcome.Latencies.Count);
        Assert.Equal(outcome.Acknowledged, rows);
        Assert.Equal(rows, distinct);
    }

    [Fact]
    public async Task Clients_RefusedRequests_CountedAsFailuresByStatusAndCode()
    {
        var (context, url) = await BenchPostgres.DatabaseAsync();
        await using var _ = context;
        await using var setup = await PgScaleSetup.StartDirectAsync(url, 1, durable: true);
        var subnets = await setup.CreateSubnetsAsync(new PgScaleCase("random", 1), 0);

        var outcome = await setup.Clients.RunAsync(subnets, "no-such-strategy", 2, TimeSpan.FromSeconds(0.3));

        Assert.Equal(0, outcome.Acknowledged);
        var (kind, count) = Assert.Single(outcome.Failures);
        Assert.StartsWith("400 ", kind, StringComparison.Ordinal);
        Assert.Equal(outcome.Failed, count);
        Assert.True(count >= 2, $"{count} failures");
    }

    [Fact]
    public async Task ServerCounters_AfterInserts_CountWalAndWriteTransactions()
    {
        var (context, url) = await BenchPostgres.DatabaseAsync();
        await using var _ = context;
        await using var setup = await PgScaleSetup.StartDirectAsync(url, 0, durable: true);
        var probe = new RawPostgresProbe(setup.ConnectionString);
        await probe.PrepareAsync();
        var before = await setup.ServerCountersAsync();

        await probe.MeasureAsync(1, TimeSpan.FromSeconds(0.3));
        var server = (await setup.ServerCountersAsync()).Since(before);

        Assert.InRange(server.NextTransactionId, probe.Committed, probe.Committed + 20);
        Assert.True(server.WalBytes > 50 * probe.Committed, $"{server.WalBytes} bytes of WAL for {probe.Committed} rows");
    }
}
