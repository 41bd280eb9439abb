using Ipam.Allocations.Strategies;

namespace Ipam.Allocations;

/// <summary>What to allocate. Exactly one of: a strategy (with a count), an address, or a MAC.</summary>
public sealed record AllocationRequest
{
    public const int MaxCount = 10_000;

    /// <summary>The <see cref="IAllocationStrategy.Name"/> of the strategy that picks the addresses.</summary>
    public string Strategy { get; init; } = AllocationStrategies.Default;

    public int Count { get; init; } = 1;

    /// <summary>A specific address to take.</summary>
    public IpAddress? Address { get; init; }

    /// <summary>Derive the address from this MAC (EUI-64).</summary>
    public MacAddress? MacAddress { get; init; }

    /// <summary>Lets a specific request take the gateway address.</summary>
    public bool AllowGateway { get; init; }

    public string? Owner { get; init; }

    public string? Description { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}
