using Ipam.Tokens;

namespace Ipam.Changes;

/// <summary>
/// Records changes in the unit of work that makes them (<see cref="IIpamSession.RecordChange"/>), with the
/// current caller as actor. The services call it next to each write. Once a unit that recorded changes
/// commits, <paramref name="signal"/> (when given) wakes the followers of the log in this process: those of every
/// change, and those of the tenants the unit's changes belong to.
/// An allocation's snapshot is recorded in the short form the log stores (<see cref="StoredSnapshots"/>); the store
/// gives it back whole when it reads the change.
/// </summary>
internal sealed class ChangeLog(ICallerContext caller, TimeProvider time, ChangeSignal? signal = null)
{
    public string Actor => caller.Actor;

    /// <summary>What the caller whose changes this log records may see and change; the services ask it before every read and write.</summary>
    public CallerAccess Access { get; } = new(caller);

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
            After = StoredSnapshots.Created(allocation, subnet.Id, allocation.CreatedBy ?? caller.Actor),
        });

    /// <summary>
    /// An allocation's description or reservation end changed: the address stays held by the same allocation, so
    /// neither the free-space indexes nor the usage counters take any notice; both snapshots are stored whole.
    /// </summary>
    public void AllocationUpdated(IIpamSession session, Subnet subnet, Allocation before, Allocation after) =>
        Record(session, new Change
        {
            Type = ChangeTypes.AllocationUpdated,
            At = time.GetUtcNow(),
            Actor = caller.Actor,
            TenantId = subnet.TenantId,
            SubnetId = subnet.Id,
            Address = after.Address,
            Cidr = subnet.Cidr,
            Before = ChangeSnapshots.Of(before),
            After = ChangeSnapshots.Of(after),
        });

    /// <summary>
    /// Records the end of <paramref name="allocation"/>, for <paramref name="reason"/> (one of <see cref="ReleaseReasons"/>),
    /// at <paramref name="at"/> or now. A reservation that ran out and is taken over by a request ends at that request's
    /// time, which its new allocation is created at: never after it, so that no moment shows both holders.
    /// </summary>
    public void AllocationEnded(IIpamSession session, Subnet subnet, Allocation allocation, string reason, DateTimeOffset? at = null) =>
        Record(session, new Change
        {
            Type = reason == ReleaseReasons.Expired ? ChangeTypes.AllocationExpired : ChangeTypes.AllocationReleased,
            At = at ?? time.GetUtcNow(),
            Actor = reason == ReleaseReasons.Expired ? Actors.System : caller.Actor,
            TenantId = subnet.TenantId,
            SubnetId = subnet.Id,
            Address = allocation.Address,
            Cidr = subnet.Cidr,
            Reason = reason,
            HeldSince = allocation.CreatedAt,
            Before = StoredSnapshots.Ended(allocation, subnet.Id),
        });

    /// <summary>
    /// A subnet created, changed or deleted, at <paramref name="at"/> or now. A creation passes the subnet's
    /// <c>created_at</c>, so that its event and the subnet give one time; so do pools, scopes and tokens below.
    /// </summary>
    public void SubnetChanged(IIpamSession session, string type, Subnet? before, Subnet? after, DateTimeOffset? at = null) =>
        ResourceChanged(session, type, before, after, ChangeSnapshots.Of, s => s.TenantId, (change, s) => change with { SubnetId = s.Id }, at);

    public void SubnetPoolChanged(IIpamSession session, string type, SubnetPool? before, SubnetPool? after, DateTimeOffset? at = null) =>
        ResourceChanged(session, type, before, after, ChangeSnapshots.Of, p => p.TenantId, (change, p) => change with { ResourceId = p.Id }, at);

    public void AddressScopeChanged(IIpamSession session, string type, AddressScope? before, AddressScope? after, DateTimeOffset? at = null) =>
        ResourceChanged(session, type, before, after, ChangeSnapshots.Of, s => s.TenantId, (change, s) => change with { ResourceId = s.Id }, at);

    /// <summary>
    /// A token created or revoked; its snapshot never holds the secret or its hash. Only admins manage tokens, so
    /// the change belongs to no tenant and only admins see it in the feed (the token's tenant is in the snapshot).
    /// </summary>
    public void TokenChanged(IIpamSession session, string type, Token? before, Token? after, DateTimeOffset? at = null) =>
        ResourceChanged(session, type, before, after, ChangeSnapshots.Of, _ => null, (change, t) => change with { ResourceId = t.Id }, at);

    /// <summary>A resource created (no <paramref name="before"/>), changed, or deleted (no <paramref name="after"/>).</summary>
    private void ResourceChanged<T>(
        IIpamSession session, string type, T? before, T? after, Func<T, string> snapshot, Func<T, string?> tenant, Func<Change, T, Change> identify,
        DateTimeOffset? at)
        where T : class
    {
        var resource = after ?? before ?? throw new ArgumentException("A change needs the resource before or after it.", nameof(after));
        var change = new Change
        {
            Type = type,
            At = at ?? time.GetUtcNow(),
            Actor = caller.Actor,
            TenantId = tenant(resource),
            Before = before is null ? null : snapshot(before),
            After = after is null ? null : snapshot(after),
        };
        Record(session, identify(change, resource));
    }

    private void Record(IIpamSession session, Change change)
    {
        session.RecordChange(change);
        // Once per unit, at its first change (every change is recorded here): one action for its commit, however many
        // changes it records, which wakes the readers of those changes' tenants too.
        if (signal is not null && session.Changes.Count == 1)
        {
            session.OnCommitted(() => signal.Raise(session.Changes));
        }
    }
}
