using Ipam.Addressing;
using Ipam.Subnets;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// One store's side of the direct load (<see cref="ScaleLoader"/> draws the rows and calls these in order): the
/// keys deferred, the small subnets, the allocations subnet by subnet in primary-key order, then the keys back,
/// usage recounted, and whatever the store needs before a server reads it.
/// </summary>
internal interface IScaleLoadTarget : IDisposable
{
    /// <summary>The database's committed size now, in bytes.</summary>
    long DatabaseBytes();

    /// <summary>What the database takes once <see cref="Settle"/> has run, in bytes.</summary>
    long SettledBytes();

    /// <summary>
    /// Drops the keys, foreign keys and indexes the store would otherwise check or maintain row by row while the
    /// subnets' pools and the allocations are written, for <see cref="RestoreKeys"/>; returns how many.
    /// </summary>
    int DeferKeys();

    /// <summary>Creates what <see cref="DeferKeys"/> dropped again, as it was, checking every loaded row.</summary>
    void RestoreKeys();

    /// <summary>Writes subnets (with their allocation pools) with the columns the store writes.</summary>
    void InsertSubnets(IReadOnlyList<Subnet> subnets);

    /// <summary>The addresses <see cref="Add"/> gets next, ascending, until <see cref="EndSubnet"/>, belong to this subnet.</summary>
    void BeginSubnet(Guid subnetId);

    void Add(IpAddress address);

    void EndSubnet();

    /// <summary>Commits what is left of the allocations.</summary>
    void EndAllocations();

    /// <summary>Recounts every subnet's usage with the repair path's expressions, in one transaction (the load writes rows, not counters).</summary>
    void Recount();

    /// <summary>After the load: the store's own housekeeping, so that the measurements do not pay for it.</summary>
    void Settle();

    /// <summary>Bytes per table and index, largest first (empty when the store cannot say).</summary>
    Dictionary<string, long> BytesByTable();
}
