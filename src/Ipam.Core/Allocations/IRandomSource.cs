namespace Ipam.Allocations;

/// <summary>Randomness for address selection; injectable so tests can fix the seed.</summary>
public interface IRandomSource
{
    /// <summary>A uniformly distributed integer in [0, <paramref name="bound"/>).</summary>
    UInt128 NextBelow(UInt128 bound);
}
