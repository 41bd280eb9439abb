namespace Ipam.Allocations;

/// <summary>
/// An allocation picked before the catch-up read of the log and inserted together with it: the insert's outcome,
/// the index's <see cref="FreeSpace.Freed"/> when the address was picked, and the addresses a rollback returns to the
/// index (<see cref="FreeSpaceCache.ReturnPicksOnRollback"/>). <see cref="TakerRead"/>: the address was taken, and the
/// read sent with the insert brought its allocation (it committed before the read, not while the insert waited for it).
/// </summary>
internal readonly record struct EarlyPick(Allocation Allocation, AllocationInsert Outcome, long FreedBefore, List<IpAddress> Picks, bool TakerRead);
