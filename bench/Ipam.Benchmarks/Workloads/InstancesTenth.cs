namespace Ipam.Benchmarks.Workloads;

/// <summary>One tenth of the fill: allocations per second on one instance and round-robin, and the raw commit rate beside them.</summary>
internal sealed record InstancesTenth(string Label, double Single, double Multi, double Raw);
