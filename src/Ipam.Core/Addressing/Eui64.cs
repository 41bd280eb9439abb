namespace Ipam.Addressing;

/// <summary>Stateless address autoconfiguration (SLAAC) addresses derived from a MAC.</summary>
public static class Eui64
{
    public const int RequiredPrefixLength = 64;

    /// <summary>The address a host with <paramref name="mac"/> forms in the /64 <paramref name="prefix"/>.</summary>
    public static IpAddress AddressFor(Cidr prefix, MacAddress mac)
    {
        if (prefix.Version != IpVersion.V6 || prefix.PrefixLength != RequiredPrefixLength)
        {
            throw new ArgumentException("EUI-64 addresses exist only in IPv6 /64 prefixes.", nameof(prefix));
        }

        return new IpAddress(IpVersion.V6, prefix.Network.Value | mac.ToModifiedEui64());
    }

    /// <summary>
    /// Whether <paramref name="address"/> is the address some MAC forms in <paramref name="prefix"/>: an IPv6 /64 holding
    /// it, and <c>ff:fe</c> in the middle of its interface identifier (every other bit comes from the MAC).
    /// </summary>
    public static bool IsFormedIn(Cidr prefix, IpAddress address) =>
        prefix.Version == IpVersion.V6 && prefix.PrefixLength == RequiredPrefixLength && prefix.Contains(address)
        && (ulong)((address.Value >> 24) & 0xFFFF) == 0xFFFE;
}
