namespace Ipam.Errors;

/// <summary>A specific request for an address that no host may take (or the gateway without consent).</summary>
public sealed class AddressReservedException(IpAddress address, string reason)
    : IpamException(ErrorCodes.AddressReserved, "Address reserved.", $"{address} cannot be allocated: it is {reason}.",
        new Dictionary<string, object?> { ["ip_address"] = address.ToString(), ["reason"] = reason })
{
    public const string NetworkAddress = "the network address";
    public const string BroadcastAddress = "the broadcast address";
    public const string GatewayAddress = $"the gateway ({GatewayAdvice})";

    /// <summary>How a request takes the gateway, in the API's words (a client with options of its own says it in theirs).</summary>
    public const string GatewayAdvice = "set allow_gateway to take it";

    /// <summary>The gateway as the EUI-64 address of a MAC address, which a request by MAC address cannot take.</summary>
    public const string GatewayOfMacAddress = "the gateway, which no request by mac_address takes (change the subnet's gateway_ip)";
}
