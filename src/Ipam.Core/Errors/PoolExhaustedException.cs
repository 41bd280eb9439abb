namespace Ipam.Errors;

/// <summary>An automatic allocation that the pools cannot satisfy, with the numbers that explain why.</summary>
public sealed class PoolExhaustedException : IpamException
{
    /// <summary>The subnet has no allocation pools, so nothing can be chosen automatically.</summary>
    public const string NoPools = "no-allocation-pools";

    /// <summary>Every pool address is allocated.</summary>
    public const string AllAllocated = "all-allocated";

    /// <summary>Some addresses are free, but fewer than requested (bulk requests are all or nothing).</summary>
    public const string NotEnoughFree = "not-enough-free";

    public PoolExhaustedException(Guid subnetId, int requested, UInt128 free, UInt128 poolSize)
        : base(ErrorCodes.PoolExhausted, "Allocation pool exhausted.", Describe(requested, free, poolSize),
            new Dictionary<string, object?>
            {
                ["subnet_id"] = subnetId,
                ["requested"] = requested,
                ["free"] = free,
                ["pool_size"] = poolSize,
                ["allocated"] = poolSize - free,
                ["reason"] = ReasonFor(free, poolSize),
            })
    {
        Requested = requested;
        Free = free;
        PoolSize = poolSize;
    }

    public int Requested { get; }

    public UInt128 Free { get; }

    public UInt128 PoolSize { get; }

    private static string ReasonFor(UInt128 free, UInt128 poolSize) =>
        poolSize == 0 ? NoPools : free == 0 ? AllAllocated : NotEnoughFree;

    private static string Describe(int requested, UInt128 free, UInt128 poolSize)
    {
        var asked = requested == 1 ? "1 address was requested" : $"{requested} addresses were requested";
        return poolSize == 0 ? $"{asked}, but the subnet has no allocation pools."
            : free == 0 ? $"{asked}, but all {poolSize} addresses of the allocation pools are allocated."
            : $"{asked}, but only {free} of the {poolSize} pool addresses are free (all or nothing).";
    }
}
