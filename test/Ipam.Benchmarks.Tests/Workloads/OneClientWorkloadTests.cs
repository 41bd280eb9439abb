using System.Globalization;
using Ipam.Benchmarks.Harness;
using Ipam.Benchmarks.Workloads;

namespace Ipam.Benchmarks.Tests.Workloads;

/// <summary>
/// The one-client workloads that take <c>--store</c> (<c>specific</c>, <c>churn</c>), on both stores, in their quick form:
/// a row per store with its rate and its raw commit rate; and <c>bursts</c>, on SQLite.
/// </summary>
public sealed class OneClientWorkloadTests
{
    [Fact]
    public async Task Specific_on_both_stores_gives_a_row_for_each()
    {
        await using var context = await BothStoresAsync("specific");

        var report = await SpecificWorkload.RunAsync(context);

        var table = Assert.Single(report.Tables);
        Assert.Equal(["specific", "random, same rounds", "specific", "random, same rounds"], table.Rows.Select(r => r[0]));
        AssertRowPerStore(table, table.Rows.Where(r => r[0] == "specific"), storeColumn: 1, rateColumn: 2, rawColumn: 3);
        AssertRowPerStore(table, table.Rows.Where(r => r[0] != "specific"), storeColumn: 1, rateColumn: 2, rawColumn: 3);
        Assert.Equal(3, ((List<double>)report.Data["postgresql_rates"]!).Count);
        Assert.Equal(3, ((List<double>)report.Data["postgresql_random_rates"]!).Count);
    }

    [Fact]
    public async Task Churn_on_both_stores_gives_a_row_for_each()
    {
        await using var context = await BothStoresAsync("churn");

        var report = await ChurnWorkload.RunAsync(context);

        var table = Assert.Single(report.Tables);
        AssertRowPerStore(table, table.Rows, storeColumn: 0, rateColumn: 3, rawColumn: 5);
    }

    [Fact]
    public async Task Bursts_gives_the_rate_after_a_pause_and_right_after_a_burst_and_their_ratio()
    {
        await using var context = new BenchContext(["bursts", "--quick"], TextWriter.Null);

        var report = await BurstsWorkload.RunAsync(context);

        var table = Assert.Single(report.Tables);
        Assert.Equal(2, table.Rows.Count);
        foreach (var row in table.Rows)
        {
            Assert.True(double.Parse(row[1], NumberStyles.Number, CultureInfo.InvariantCulture) > 0, $"{row[0]}: {row[1]} a second");
            Assert.Equal(3, row[2].Split(", ").Length);
        }

        Assert.Equal(3, ((List<double>)report.Data["ratios"]!).Count);
        Assert.Contains("×", Assert.Single(report.Goals).Measured, StringComparison.Ordinal);
    }

    private static async Task<BenchContext> BothStoresAsync(string workload)
    {
        // Skips the test without PostgreSQL, as every workload test on it does.
        var (postgres, _) = await BenchPostgres.DatabaseAsync();
        await postgres.DisposeAsync();
        return new BenchContext([workload, "--quick", "--store", "both", "--rounds", "3"], TextWriter.Null);
    }

    private static void AssertRowPerStore(Table table, IEnumerable<string[]> rows, int storeColumn, int rateColumn, int rawColumn)
    {
        Assert.Equal(table.Columns.Count, rows.First().Length);
        Assert.Equal(["sqlite", "postgresql"], rows.Select(r => r[storeColumn]));
        foreach (var row in rows)
        {
            Assert.True(double.Parse(row[rateColumn], NumberStyles.Number, CultureInfo.InvariantCulture) > 0, $"{row[storeColumn]}: {row[rateColumn]} a second");
            Assert.True(double.Parse(row[rawColumn], NumberStyles.Number, CultureInfo.InvariantCulture) > 0, $"{row[storeColumn]}: {row[rawColumn]} raw commits a second");
        }
    }
}
