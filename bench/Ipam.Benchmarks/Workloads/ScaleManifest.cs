using Ipam.Api.Hosting;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// What <see cref="ScaleLoader"/> loaded, and where, written to the run's directory for the child processes: the subnets
/// (the big one, the empty one, then the small ones in creation order) and what the load cost, in time and in
/// pages: <see cref="SmallSubnetBytes"/> and <see cref="AllocationBytes"/> are what the database grew by while
/// the small subnets, then the allocations (with their recount), were written; <see cref="FileBytes"/> is the
/// database's size after the load settled (the SQLite file, or <c>pg_database_size</c>).
/// </summary>
internal sealed record ScaleManifest(
    DatabaseLocation Database,
    ScaleSubnet Big,
    ScaleSubnet Empty,
    IReadOnlyList<ScaleSubnet> Small,
    double SubnetSeconds,
    double AllocationSeconds,
    long FileBytes,
    long SmallSubnetBytes,
    long AllocationBytes,
    IReadOnlyDictionary<string, long> BytesByTable)
{
    public long Allocations => Big.Loaded + Small.Sum(s => s.Loaded);

    public int Subnets => Small.Count + 2;
}
