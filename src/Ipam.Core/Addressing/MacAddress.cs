using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Ipam.Addressing;

/// <summary>A 48-bit IEEE 802 MAC address.</summary>
/// <remarks>Accepts <c>fa:16:3e:00:11:22</c>, <c>fa-16-3e-00-11-22</c> and <c>fa16.3e00.1122</c>; prints the first form.</remarks>
public readonly record struct MacAddress
{
    private MacAddress(ulong value) => Value = value;

    /// <summary>The 48 bits in the low bits of a 64-bit integer.</summary>
    public ulong Value { get; }

    public static bool TryParse([NotNullWhen(true)] string? s, out MacAddress result)
    {
        result = default;
        if (s is null)
        {
            return false;
        }

        string hex;
        if (s.Length == 17 && (s.Split(':') is { Length: 6 } colon && colon.All(p => p.Length == 2)))
        {
            hex = string.Concat(s.Split(':'));
        }
        else if (s.Length == 17 && (s.Split('-') is { Length: 6 } dash && dash.All(p => p.Length == 2)))
        {
            hex = string.Concat(s.Split('-'));
        }
        else if (s.Length == 14 && (s.Split('.') is { Length: 3 } dot && dot.All(p => p.Length == 4)))
        {
            hex = string.Concat(s.Split('.'));
        }
        else
        {
            return false;
        }

        if (!ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        result = new MacAddress(value);
        return true;
    }

    /// <summary>
    /// Whether no interface has this address: the all-zero address and the broadcast address, which Neutron refuses
    /// as a port's MAC address ("not a valid MAC address"); an EUI-64 address made of one belongs to no host.
    /// </summary>
    public bool IsNeverAnInterface => Value is 0 or 0xFFFF_FFFF_FFFF;

    /// <summary>
    /// The modified EUI-64 interface identifier (RFC 4291 appendix A): the universal/local bit of the first
    /// octet inverted and <c>ff:fe</c> inserted between the third and fourth octets.
    /// </summary>
    public ulong ToModifiedEui64()
    {
        var upper = (Value >> 24) & 0xFF_FFFF;
        var lower = Value & 0xFF_FFFF;
        var eui = (upper << 40) | (0xFFFEUL << 24) | lower;
        return eui ^ (0x02UL << 56);
    }

    public override string ToString()
    {
        var value = Value;
        return string.Join(':', Enumerable.Range(0, 6).Select(i => ((value >> (40 - (8 * i))) & 0xFF).ToString("x2", CultureInfo.InvariantCulture)));
    }
}
