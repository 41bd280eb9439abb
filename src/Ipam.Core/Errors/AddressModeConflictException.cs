namespace Ipam.Errors;

public sealed class AddressModeConflictException(string? ipv6AddressMode, string detail)
    : IpamException(ErrorCodes.AddressModeConflict, "Request conflicts with the subnet's address mode.", detail,
        new Dictionary<string, object?> { ["ipv6_address_mode"] = ipv6AddressMode });
