namespace Ipam.Allocations;

/// <summary>
/// The free pool addresses of one subnet as an <see cref="Strategies.IAllocationStrategy"/> sees them: counted, in
/// address order, and taken one at a time. Ranks make every pick cost the same at any fill level.
/// </summary>
public interface IFreeAddresses
{
    /// <summary>How many pool addresses are free.</summary>
    UInt128 FreeCount { get; }

    /// <summary>Takes the free address of rank <paramref name="index"/> (0 is the lowest) and returns it.</summary>
    IpAddress TakeAt(UInt128 index);

    /// <summary>Whether <paramref name="address"/> is a free pool address.</summary>
    bool IsFree(IpAddress address);
}
