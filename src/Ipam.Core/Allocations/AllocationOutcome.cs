namespace Ipam.Allocations;

/// <summary>
/// What an allocation request got: its allocations, and whether they are the remembered result of an earlier request
/// with the same <c>Idempotency-Key</c> (<paramref name="Replayed"/>: nothing was allocated this time).
/// </summary>
public sealed record AllocationOutcome(IReadOnlyList<Allocation> Allocations, bool Replayed);
