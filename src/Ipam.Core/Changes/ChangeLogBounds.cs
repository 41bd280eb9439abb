namespace Ipam.Changes;

/// <summary>
/// Where the change log is kept, read together: how far retention pruned it (<see cref="PrunedThrough"/>: the highest
/// position deleted, or of one tenant's changes when a tenant was named; 0 when none was) and the position of the last
/// committed change of any tenant (<see cref="LastSequence"/>, 0 when the log is empty).
/// </summary>
public readonly record struct ChangeLogBounds(long PrunedThrough, long LastSequence);
