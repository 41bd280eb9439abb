namespace Ipam.Benchmarks.Workloads;

/// <summary>A loaded subnet: how many addresses were loaded into it and how many free ranges its pools are left with.</summary>
internal sealed record ScaleSubnet(Guid Id, string Cidr, long Loaded, long FreeRanges);
