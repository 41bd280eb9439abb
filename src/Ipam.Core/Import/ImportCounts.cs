namespace Ipam.Import;

public sealed record ImportCounts(int AddressScopes, int SubnetPools, int Subnets, int Allocations);
