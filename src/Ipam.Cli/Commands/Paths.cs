namespace Ipam.Cli.Commands;

/// <summary>The API's resource paths, relative to the server's base URL.</summary>
internal static class Paths
{
    public const string Subnets = "v1/subnets";

    public static string Subnet(Guid id) => $"{Subnets}/{id}";

    public static string Allocations(Guid subnetId) => $"{Subnet(subnetId)}/allocations";

    public static string Allocation(Guid subnetId, string ip) => $"{Allocations(subnetId)}/{Uri.EscapeDataString(ip)}";

    public static string AllocationHistory(Guid subnetId, string ip) => $"{Allocation(subnetId, ip)}/history";

    public static string Address(string ip) => $"v1/addresses/{Uri.EscapeDataString(ip)}";

    public const string AddressScopes = "v1/address-scopes";

    public static string AddressScope(Guid id) => $"{AddressScopes}/{id}";

    public const string SubnetPools = "v1/subnet-pools";

    public static string SubnetPool(Guid id) => $"{SubnetPools}/{id}";

    public const string Events = "v1/events";

    public const string Tokens = "v1/tokens";

    public const string Import = "v1/import";

    public static string TokenById(Guid id) => $"{Tokens}/{id}";

    public static string AvailablePrefixes(Guid poolId) => $"{SubnetPool(poolId)}/available-prefixes";
}
