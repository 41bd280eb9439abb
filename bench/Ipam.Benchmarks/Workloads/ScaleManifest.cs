namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// What <see cref="ScaleLoader"/> loaded, written beside the database for the child processes: the subnets
/// (the big one, the empty one, then the small ones in creation order) and what the load cost, in time and in
/// pages: <see cref="SmallSubnetBytes"/> and <see cref="AllocationBytes"/> are what the database grew by while
/// the small subnets, then the allocations (with their recount), were written.
/// </summary>
internal sealed record ScaleManifest(
    string DatabasePath,
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
