using System.Diagnostics.CodeAnalysis;

namespace Ipam.Addressing;

/// <summary>A network prefix such as <c>10.0.0.0/24</c> or <c>2001:db8::/64</c>.</summary>
/// <remarks>Invariant: no host bits are set. Parsing rejects <c>10.0.0.5/24</c> instead of masking it.</remarks>
public readonly record struct Cidr : ISpanParsable<Cidr>
{
    public Cidr(IpAddress network, int prefixLength)
    {
        var family = network.Family;
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, family.Bits);
        if ((network.Value & HostMask(family, prefixLength)) != 0)
        {
            throw new ArgumentException($"{network}/{prefixLength} has host bits set.", nameof(network));
        }

        Network = network;
        PrefixLength = prefixLength;
    }

    public IpAddress Network { get; }

    public int PrefixLength { get; }

    public IpVersion Version => Network.Version;

    public IpFamily Family => Network.Family;

    public IpAddress First => Network;

    public IpAddress Last => new(Version, Network.Value | HostMask(Family, PrefixLength));

    public AddressRange Range => new(First, Last);

    /// <summary>The number of host bits (32 or 128 minus the prefix length).</summary>
    public int HostBits => Family.Bits - PrefixLength;

    public bool Contains(IpAddress address) => Range.Contains(address);

    public bool Contains(AddressRange range) => Range.Contains(range);

    /// <summary>The prefix that contains <paramref name="address"/> with the given length.</summary>
    public static Cidr Containing(IpAddress address, int prefixLength) =>
        new(new IpAddress(address.Version, address.Value & ~HostMask(address.Family, prefixLength) & address.Family.MaxValue), prefixLength);

    public static bool TryParse([NotNullWhen(true)] string? s, out Cidr result) =>
        TryParse(s.AsSpan(), out result) && s is not null;

    public static bool TryParse(ReadOnlySpan<char> s, out Cidr result) => TryParse(s, out result, out _);

    /// <summary>Parses a CIDR and, on failure, says why in one sentence.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out Cidr result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        var slash = s.IndexOf('/');
        if (slash < 0)
        {
            error = $"'{s}' is not a CIDR: expected address/prefix-length.";
            return false;
        }

        if (!IpAddress.TryParse(s[..slash], out var address))
        {
            error = $"'{s}' is not a CIDR: '{s[..slash]}' is not an IP address.";
            return false;
        }

        var lengthText = s[(slash + 1)..];
        if (lengthText.IsEmpty || lengthText.Length > 3 || !lengthText.ContainsOnlyDigits() ||
            !int.TryParse(lengthText, out var length) || length > address.Family.Bits)
        {
            error = $"'{s}' is not a CIDR: the prefix length must be 0 to {address.Family.Bits}.";
            return false;
        }

        if ((address.Value & HostMask(address.Family, length)) != 0)
        {
            error = $"'{s}' has host bits set; did you mean {Containing(address, length)}?";
            return false;
        }

        result = new Cidr(address, length);
        error = null;
        return true;
    }

    public static Cidr Parse(string s) => Parse(s.AsSpan(), null);

    public static Cidr Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    public static Cidr Parse(ReadOnlySpan<char> s, IFormatProvider? provider) =>
        TryParse(s, out var result, out var error) ? result : throw new FormatException(error);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Cidr result) =>
        TryParse(s, out result);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Cidr result) =>
        TryParse(s, out result);

    public override string ToString() => $"{Network}/{PrefixLength}";

    private static UInt128 HostMask(IpFamily family, int prefixLength)
    {
        var hostBits = family.Bits - prefixLength;
        return hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
    }
}
