namespace Ipam.Addressing;

/// <summary>The IP family of an address, CIDR or range. The numeric values are the version numbers.</summary>
public enum IpVersion
{
    V4 = 4,
    V6 = 6,
}
