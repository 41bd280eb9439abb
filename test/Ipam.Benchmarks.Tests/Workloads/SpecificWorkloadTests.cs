using System.Globalization;
using Ipam.Benchmarks.Harness;
using Ipam.Benchmarks.Workloads;

namespace Ipam.Benchmarks.Tests.Workloads;

/// <summary>The <c>specific</c> workload on both stores, as <c>bench/run specific --store both</c> runs it, in its quick form.</summary>
public sealed class SpecificWorkloadTests
{
    [Fact]
    public async Task Both_stores_get_a_row_with_their_rate_and_raw_commit_rate()
    {
        var (postgres, _) = await BenchPostgres.DatabaseAsync();
        await postgres.DisposeAsync();
        await using var context = new BenchContext(["specific", "--quick", "--store", "both", "--rounds", "3"], TextWriter.Null);

        var report = await SpecificWorkload.RunAsync(context);

        var table = Assert.Single(report.Tables);
        Assert.Equal(["sqlite", "postgresql"], table.Rows.Select(r => r[1]));
        foreach (var row in table.Rows)
        {
            Assert.True(double.Parse(row[2], NumberStyles.Number, CultureInfo.InvariantCulture) > 0, $"{row[1]}: {row[2]} allocations a second");
            Assert.True(double.Parse(row[3], NumberStyles.Number, CultureInfo.InvariantCulture) > 0, $"{row[1]}: {row[3]} raw commits a second");
        }

        Assert.Equal(3, ((List<double>)report.Data["postgresql_rates"]!).Count);
    }
}
