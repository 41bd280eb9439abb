namespace Ipam.Errors;

public sealed class AddressOutsideSubnetException(IpAddress address, Cidr cidr)
    : IpamException(ErrorCodes.AddressOutsideSubnet, "Address outside the subnet.",
        $"{address} is not inside {cidr}.",
        new Dictionary<string, object?> { ["ip_address"] = address.ToString(), ["cidr"] = cidr.ToString() });
