using Ipam.Benchmarks.Harness;
using Ipam.Benchmarks.Workloads;

namespace Ipam.Benchmarks.Tests.Workloads;

public sealed class PgScaleSummaryTests
{
    private static readonly string Shared = PgScaleWorkload.Cases[0].Label;

    [Fact]
    public void Write_FasterThanPgbenchOnEveryPathWithoutFailures_GoalMet()
    {
        var points = new[]
        {
            Point("direct", PgScaleRun.PgbenchKind, 1000), Point("direct", Shared, 900), Point("direct", Shared, 1200), Point("direct", Shared, 1100),
            Point("pooled", PgScaleRun.PgbenchKind, 500), Point("pooled", Shared, 600),
        };

        var goal = Summarize(points, "direct", "pooled");

        Assert.True(goal.Met, goal.Measured);
        Assert.Contains("direct: 1.10×", goal.Measured, StringComparison.Ordinal);
        Assert.Contains("pooled: 1.20×", goal.Measured, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 0, 0)]
    [InlineData(0, 1, 0)]
    [InlineData(0, 0, 1)]
    public void Write_OneFailureOrDuplicate_GoalNotMet(long failed, long duplicateAcknowledgements, long duplicateRows)
    {
        var points = new[]
        {
            Point("direct", PgScaleRun.PgbenchKind, 1000),
            Point("direct", Shared, 2000) with { Failed = failed, DuplicateAcknowledgements = duplicateAcknowledgements, Rows = 100 + duplicateRows },
        };

        var goal = Summarize(points, "direct");

        Assert.False(goal.Met, goal.Measured);
    }

    [Fact]
    public void Write_SlowerThanPgbench_GoalNotMet()
    {
        var goal = Summarize([Point("direct", PgScaleRun.PgbenchKind, 1000), Point("direct", Shared, 999)], "direct");

        Assert.False(goal.Met, goal.Measured);
    }

    [Fact]
    public void Write_PathWithoutItsSharedSubnetPoint_GoalNotMet()
    {
        var goal = Summarize([Point("direct", PgScaleRun.PgbenchKind, 1000), Point("direct", Shared, 2000), Point("pooled", PgScaleRun.PgbenchKind, 500)], "direct", "pooled");

        Assert.False(goal.Met, goal.Measured);
    }

    private static Goal Summarize(PgScalePoint[] points, params string[] setups)
    {
        var report = new WorkloadReport("pg-scale", "test");
        new PgScaleSummary(points, new Dictionary<string, List<double>>()).Write(report, "goal", setups);
        return Assert.Single(report.Goals);
    }

    private static PgScalePoint Point(string setup, string kind, double rate) =>
        new(setup, kind, 0, rate, 100, 0, new Dictionary<string, int>(), 0, 100, 100, new PgScaleServerCounters(0, 0), 0.001, 0.002, 0, NpgsqlTraffic.None, PgScaleActivity.None);
}
