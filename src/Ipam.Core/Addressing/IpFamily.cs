namespace Ipam.Addressing;

/// <summary>
/// Per-family constants and the host-usability rules, kept in one place so that the rest of the code
/// never branches on the family for arithmetic.
/// </summary>
public sealed class IpFamily
{
    public static readonly IpFamily V4 = new(IpVersion.V4, 32, hasBroadcast: true);
    public static readonly IpFamily V6 = new(IpVersion.V6, 128, hasBroadcast: false);

    private IpFamily(IpVersion version, int bits, bool hasBroadcast)
    {
        Version = version;
        Bits = bits;
        HasBroadcast = hasBroadcast;
        MaxValue = bits == 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1;
    }

    public IpVersion Version { get; }

    /// <summary>Address width in bits: 32 or 128.</summary>
    public int Bits { get; }

    /// <summary>IPv4 reserves the all-ones host address of a subnet for broadcast; IPv6 has no broadcast.</summary>
    public bool HasBroadcast { get; }

    public UInt128 MaxValue { get; }

    /// <summary>
    /// The longest two prefixes of a family (/31 and /32, /127 and /128) are point-to-point or host
    /// routes: every address in them is a usable host (RFC 3021, RFC 6164) and they get no default gateway.
    /// </summary>
    public bool IsPointToPoint(int prefixLength) => prefixLength >= Bits - 1;

    public static IpFamily Of(IpVersion version) => version == IpVersion.V4 ? V4 : V6;
}
