using Ipam.Benchmarks.Harness;
using Ipam.Benchmarks.Workloads;

namespace Ipam.Benchmarks.Tests.Harness;

[Collection(nameof(NpgsqlCountsCollection))]
public sealed class NpgsqlCommandCounterTests
{
    [Fact]
    public async Task Totals_SingleRowCommits_OneCommandPerInsert()
    {
        var (context, url) = await BenchPostgres.DatabaseAsync();
        await using var _ = context;
        await using var setup = await PgScaleSetup.StartDirectAsync(url, 0, durable: true);
        var probe = new RawPostgresProbe(setup.ConnectionString);
        await probe.PrepareAsync();
        using var counter = new NpgsqlCommandCounter();
        var before = counter.Totals();

        await probe.MeasureAsync(2, TimeSpan.FromSeconds(0.3));
        var traffic = counter.Totals().Since(before);

        Assert.True(probe.Committed > 0);
        Assert.InRange(traffic.Commands, probe.Committed, probe.Committed + 2);
    }
}
