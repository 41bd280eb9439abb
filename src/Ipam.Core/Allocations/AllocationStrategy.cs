namespace Ipam.Allocations;

/// <summary>How an automatic allocation chooses among the free pool addresses.</summary>
public enum AllocationStrategy
{
    /// <summary>Uniformly at random among all free pool addresses (the default).</summary>
    Random,

    /// <summary>The lowest free pool address.</summary>
    Next,
}
