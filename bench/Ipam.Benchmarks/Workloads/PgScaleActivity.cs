namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// What the database's backends were doing during a run, from <paramref name="Samples"/> looks at pg_stat_activity:
/// on average how many ran a statement, and how many of those waited for an advisory lock (the change log's).
/// </summary>
internal sealed record PgScaleActivity(int Samples, double Active, double AdvisoryWaiting)
{
    public static PgScaleActivity None { get; } = new(0, double.NaN, double.NaN);
}
