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

    /// <summary>No address is free now, but some were released within the subnet's reuse cooldown.</summary>
    public const string CoolingDown = "cooling-down";

    /// <summary>Free: addresses free now; <paramref name="cooldown"/>: free ones the subnet's reuse cooldown holds back (null: it has none).</summary>
    public PoolExhaustedException(Guid subnetId, int requested, UInt128 free, UInt128 poolSize, CooldownHold? cooldown = null)
        : base(ErrorCodes.PoolExhausted, "Allocation pool exhausted.", Describe(requested, free, poolSize, cooldown),
            ContextOf(subnetId, requested, free, poolSize, cooldown))
    {
        Requested = requested;
        Free = free;
        PoolSize = poolSize;
    }

    public int Requested { get; }

    public UInt128 Free { get; }

    public UInt128 PoolSize { get; }

    private static Dictionary<string, object?> ContextOf(Guid subnetId, int requested, UInt128 free, UInt128 poolSize, CooldownHold? cooldown)
    {
        var cooling = (UInt128)(cooldown?.Count ?? 0);
        var context = new Dictionary<string, object?>
        {
            ["subnet_id"] = subnetId,
            ["requested"] = requested,
            ["free"] = free,
            ["pool_size"] = poolSize,
            ["allocated"] = poolSize - free - cooling,
            ["reason"] = ReasonFor(free, poolSize, cooling),
        };
        if (cooldown is not null)
        {
            context["cooling_down"] = cooldown.Count;
        }

        if (cooldown?.FirstEndsAt is { } endsAt)
        {
            context["cooling_ends_at"] = RetryTime(endsAt);
        }

        return context;
    }

    private static string ReasonFor(UInt128 free, UInt128 poolSize, UInt128 cooling) =>
        poolSize == 0 ? NoPools : free == 0 && cooling > 0 ? CoolingDown : free == 0 ? AllAllocated : NotEnoughFree;

    /// <summary>A time to retry at, as the API writes times, rounded up to the millisecond so that it is never early.</summary>
    private static string RetryTime(DateTimeOffset time) =>
        TimeText.Format(time.AddTicks(TimeSpan.TicksPerMillisecond - 1));

    private static string Describe(int requested, UInt128 free, UInt128 poolSize, CooldownHold? cooldown)
    {
        var asked = requested == 1 ? "1 address was requested" : $"{requested} addresses were requested (all or nothing)";
        var cooling = cooldown?.Count ?? 0;
        var until = cooldown?.FirstEndsAt is { } endsAt ? RetryTime(endsAt) : null;
        var more = free == 0 ? "" : "more ";
        var held = cooling switch
        {
            0 => "",
            1 => $"; 1 {more}was released recently and is held back by the subnet's reuse cooldown{(until is null ? "" : $" until {until}")}",
            _ => $"; {cooling} {more}were released recently and are held back by the subnet's reuse cooldown{(until is null ? "" : $", the first until {until}")}",
        };
        return poolSize == 0 ? $"{asked}, but the subnet has no allocation pools."
            : free == 0 && cooling == 0 && poolSize == 1 ? $"{asked}, but the one address of the allocation pools is allocated."
            : free == 0 && cooling == 0 ? $"{asked}, but all {poolSize} addresses of the allocation pools are allocated."
            : free == 0 && poolSize == 1 ? $"{asked}, but the one pool address is not free{held}."
            : free == 0 ? $"{asked}, but none of the {poolSize} pool addresses is free{held}."
            : $"{asked}, but only {free} of the {poolSize} pool {(poolSize == 1 ? "address" : "addresses")} {(free == 1 ? "is" : "are")} free{held}.";
    }
}
