using System.Diagnostics.CodeAnalysis;

namespace Ipam.Subnets;

/// <summary>Wire names of <see cref="Ipv6AddressMode"/> and the rule that follows from each.</summary>
public static class Ipv6AddressModes
{
    public const string Slaac = "slaac";
    public const string Dhcpv6Stateful = "dhcpv6-stateful";
    public const string Dhcpv6Stateless = "dhcpv6-stateless";

    private static readonly WireNames<Ipv6AddressMode> Names = new(
        (Ipv6AddressMode.Slaac, Slaac), (Ipv6AddressMode.Dhcpv6Stateful, Dhcpv6Stateful), (Ipv6AddressMode.Dhcpv6Stateless, Dhcpv6Stateless));

    public static string ToWire(this Ipv6AddressMode mode) => Names.Of(mode);

    public static bool TryParse([NotNullWhen(true)] string? text, out Ipv6AddressMode mode) => Names.TryParse(text, out mode);

    /// <summary>Hosts configure their own address from the MAC, so only EUI-64 allocations make sense.</summary>
    public static bool IsAutoconfigured(this Ipv6AddressMode? mode) =>
        mode is Ipv6AddressMode.Slaac or Ipv6AddressMode.Dhcpv6Stateless;
}
