namespace Ipam.Maps;

/// <summary>What one address of a subnet is, as a map shows it; an allocated gateway is <see cref="Allocated"/>.</summary>
public enum AddressState
{
    Allocated,

    /// <summary>In the allocation pools and not allocated.</summary>
    Free,

    Gateway,

    /// <summary>The network address (on IPv6 the subnet-router anycast address), never a host.</summary>
    Network,

    /// <summary>The IPv4 broadcast address.</summary>
    Broadcast,

    /// <summary>A host address outside the allocation pools and not allocated: Ipam hands it out only when asked for by address.</summary>
    OutsidePools,
}
