using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Changes;
using Ipam.Subnets;

namespace Ipam.Storage.Tests.Contract;

/// <summary>
/// Allocation writes as the services make them: every row inserted or deleted is recorded in the change log by the
/// same unit, with the snapshot the services store (usage follows the log, see <see cref="IIpamSession.CountSubnetAllocationsAsync"/>;
/// on SQLite so do the lists by owner, see <see cref="IIpamSession.ListOwnerAllocationsAsync"/>).
/// </summary>
internal static class LoggedAllocations
{
    public static async ValueTask<bool> InsertLoggedAsync(this IIpamSession session, Allocation allocation, CancellationToken ct)
    {
        if (!await session.TryInsertAllocationAsync(allocation, ct))
        {
            return false;
        }

        session.RecordChange(Of(ChangeTypes.AllocationCreated, allocation));
        return true;
    }

    public static async ValueTask<AllocationInsert> InsertLoggedAtRevisionAsync(this IIpamSession session, Allocation allocation, long revision, CancellationToken ct)
    {
        var outcome = await session.TryInsertAllocationAtRevisionAsync(allocation, revision, ct);
        if (outcome == AllocationInsert.Inserted)
        {
            session.RecordChange(Of(ChangeTypes.AllocationCreated, allocation));
        }

        return outcome;
    }

    public static async ValueTask<Allocation?> DeleteLoggedAsync(this IIpamSession session, Guid subnetId, IpAddress address, CancellationToken ct) =>
        Ended(session, ChangeTypes.AllocationReleased, await session.DeleteAllocationAsync(subnetId, address, ct)
            is { } deleted ? [deleted] : []).FirstOrDefault();

    public static async ValueTask<IReadOnlyList<Allocation>> DeleteSubnetAllocationsLoggedAsync(this IIpamSession session, Subnet subnet, CancellationToken ct) =>
        Ended(session, ChangeTypes.AllocationReleased, await session.DeleteSubnetAllocationsAsync(subnet.Id, subnet.Version, ct));

    public static async ValueTask<IReadOnlyList<Allocation>> DeleteExpiredLoggedAsync(this IIpamSession session, DateTimeOffset now, Guid subnetId, CancellationToken ct) =>
        Ended(session, ChangeTypes.AllocationExpired, await session.DeleteExpiredAllocationsAsync(now, subnetId, ct));

    public static async ValueTask<IReadOnlyList<Allocation>> SweepExpiredLoggedAsync(this IIpamSession session, DateTimeOffset now, int limit, CancellationToken ct) =>
        Ended(session, ChangeTypes.AllocationExpired, await session.SweepExpiredAllocationsAsync(now, limit, ct));

    private static IReadOnlyList<Allocation> Ended(IIpamSession session, string type, IReadOnlyList<Allocation> ended)
    {
        foreach (var allocation in ended)
        {
            session.RecordChange(Of(type, allocation));
        }

        return ended;
    }

    private static Change Of(string type, Allocation allocation) => new()
    {
        Type = type,
        At = Samples.Now,
        Actor = "test",
        SubnetId = allocation.SubnetId,
        Address = allocation.Address,
        Before = type == ChangeTypes.AllocationCreated ? null : StoredSnapshots.Ended(allocation, allocation.SubnetId),
        After = type == ChangeTypes.AllocationCreated ? StoredSnapshots.Created(allocation, allocation.SubnetId, "test") : null,
    };
}
