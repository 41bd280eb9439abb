namespace Ipam.Api.Hosting;

/// <summary>What one pruning round did: changes deleted, the write transactions that deleted them, and the cutoff.</summary>
internal readonly record struct PruneResult(int Deleted, int Batches, DateTimeOffset Cutoff);
