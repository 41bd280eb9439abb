namespace Ipam.Subnets;

/// <summary>A subnet with its current usage.</summary>
public sealed record SubnetView(Subnet Subnet, SubnetUsage Usage);
