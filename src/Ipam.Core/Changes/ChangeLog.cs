using Ipam.Allocations;
using Ipam.Scopes;
using Ipam.Storage;
using Ipam.SubnetPools;
using Ipam.Subnets;

namespace Ipam.Changes;

/// <summary>
/// Records changes in the unit of work that makes them (<see cref="IIpamSession.RecordChange"/>), with the
/// current caller as actor. The services call it next to each write. Once a unit that recorded changes
/// commits, <paramref name="signal"/> (when given) wakes the followers of the log in this process.
/// </summary>
internal sealed class ChangeLog(ICallerContext caller, TimeProvider time, ChangeSignal? signal = null)
{
    // One delegate for every commit, rather than one per change recorded.
    private readonly Action? raise = signal is null ? null : signal.Raise;

    public string Actor => caller.Actor;

    public void AllocationCreated(IIpamSession session, Subnet subnet, Allocation allocation) =>
        Record(session, new Change
        {
            Type = ChangeTypes.AllocationCreated,
            At = allocation.CreatedAt,
            Actor = allocation.CreatedBy ?? caller.Actor,
            TenantId = subnet.TenantId,
            SubnetId = subnet.Id,
            Address = allocation.Address,
            Cidr = subnet.Cidr,
            After = ChangeSnapshots.Of(allocation),
        });

    /// <summary>Records the end of <paramref name="allocation"/>, for <paramref name="reason"/> (one of <see cref="ReleaseReasons"/>).</summary>
    public void AllocationEnded(IIpamSession session, Subnet subnet, Allocation allocation, string reason) =>
        Record(session, new Change
        {
            Type = reason == ReleaseReasons.Expired ? ChangeTypes.AllocationExpired : ChangeTypes.AllocationReleased,
            At = time.GetUtcNow(),
            Actor = reason == ReleaseReasons.Expired ? Actors.System : caller.Actor,
            TenantId = subnet.TenantId,
            SubnetId = subnet.Id,
            Address = allocation.Address,
            Cidr = subnet.Cidr,
            Reason = reason,
            HeldSince = allocation.CreatedAt,
            Before = ChangeSnapshots.Of(allocation),
        });

    public void SubnetChanged(IIpamSession session, string type, Subnet? before, Subnet? after)
    {
        var subnet = after ?? before ?? throw new ArgumentException("A change needs the subnet before or after it.", nameof(after));
        Record(session, Resource(type, subnet.TenantId, before is null ? null : ChangeSnapshots.Of(before), after is null ? null : ChangeSnapshots.Of(after))
            with { SubnetId = subnet.Id });
    }

    public void SubnetPoolChanged(IIpamSession session, string type, SubnetPool? before, SubnetPool? after)
    {
        var pool = after ?? before ?? throw new ArgumentException("A change needs the pool before or after it.", nameof(after));
        Record(session, Resource(type, pool.TenantId, before is null ? null : ChangeSnapshots.Of(before), after is null ? null : ChangeSnapshots.Of(after))
            with { ResourceId = pool.Id });
    }

    public void AddressScopeChanged(IIpamSession session, string type, AddressScope? before, AddressScope? after)
    {
        var scope = after ?? before ?? throw new ArgumentException("A change needs the scope before or after it.", nameof(after));
        Record(session, Resource(type, scope.TenantId, before is null ? null : ChangeSnapshots.Of(before), after is null ? null : ChangeSnapshots.Of(after))
            with { ResourceId = scope.Id });
    }

    private void Record(IIpamSession session, Change change)
    {
        session.RecordChange(change);
        if (raise is not null)
        {
            session.OnCommitted(raise);
        }
    }

    private Change Resource(string type, string? tenantId, string? before, string? after) => new()
    {
        Type = type,
        At = time.GetUtcNow(),
        Actor = caller.Actor,
        TenantId = tenantId,
        Before = before,
        After = after,
    };
}
