using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// One timed run: pgbench or Ipam's clients on one path to the database. <paramref name="Rows"/> and
/// <paramref name="DistinctRows"/> are counted in the database afterwards (for pgbench the rows of its run, which
/// the primary key keeps distinct); the server counters are the WAL written and the transaction ids taken meanwhile;
/// <paramref name="CpuSeconds"/> is what this process (Ipam's instances and the HTTP clients) spent, and <paramref name="Driver"/>
/// what its Npgsql sent and received, none of either for pgbench; <paramref name="Activity"/> what the backends did meanwhile.
/// </summary>
internal sealed record PgScalePoint(
    string Setup, string Kind, int Round, double Rate, long Acknowledged, long Failed, IReadOnlyDictionary<string, int> FailureKinds,
    long DuplicateAcknowledgements, long Rows, long DistinctRows, PgScaleServerCounters Server, double P50, double P99, double CpuSeconds, NpgsqlTraffic Driver,
    PgScaleActivity Activity)
{
    /// <summary>Addresses handed out twice: acknowledged twice, or present twice in the database.</summary>
    public long Duplicates => DuplicateAcknowledgements + (Rows - DistinctRows);
}
