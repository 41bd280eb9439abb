namespace Ipam.Benchmarks.Tests.Harness;

/// <summary>Tests that count this process's Npgsql commands run alone: any other test's commands would be counted too.</summary>
[CollectionDefinition(nameof(NpgsqlCountsCollection), DisableParallelization = true)]
public sealed class NpgsqlCountsCollection;
