namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// One timed run of HTTP clients: the allocations acknowledged (201) with their latencies and locations, and every
/// other answer or error by kind; and the CPU time this process (instances and clients) spent meanwhile.
/// </summary>
internal sealed record PgScaleOutcome(
    double Seconds, IReadOnlyList<double> Latencies, IReadOnlyList<string> Locations, IReadOnlyDictionary<string, int> Failures, double CpuSeconds)
{
    public long Acknowledged => Locations.Count;

    public double Rate => Acknowledged / Seconds;

    public long Failed => Failures.Values.Sum();

    /// <summary>Acknowledged allocations whose address another acknowledged allocation also got.</summary>
    public long DuplicateAcknowledgements => Locations.Count - Locations.Distinct(StringComparer.Ordinal).Count();
}
