namespace Ipam.Errors;

public sealed class AddressInUseException(IpAddress address, string? owner)
    : IpamException(ErrorCodes.AddressInUse, "Address in use.",
        owner is null ? $"{address} is already allocated." : $"{address} is already allocated to '{owner}'.",
        new Dictionary<string, object?> { ["ip_address"] = address.ToString(), ["owner"] = owner });
