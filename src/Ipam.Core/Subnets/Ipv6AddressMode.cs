namespace Ipam.Subnets;

/// <summary>How hosts on an IPv6 subnet obtain addresses.</summary>
public enum Ipv6AddressMode
{
    /// <summary>Hosts form EUI-64 addresses from their MAC; the only allocation kind is EUI-64.</summary>
    Slaac,

    /// <summary>A DHCPv6 server hands out addresses: every allocation kind is allowed.</summary>
    Dhcpv6Stateful,

    /// <summary>Addresses by SLAAC, other configuration by DHCPv6: the only allocation kind is EUI-64.</summary>
    Dhcpv6Stateless,
}
