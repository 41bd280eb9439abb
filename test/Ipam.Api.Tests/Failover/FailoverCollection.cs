namespace Ipam.Api.Tests.Failover;

/// <summary>
/// Failover tests run alone: they start two clusters of their own and time how soon the service resumes, which
/// other tests' load on the same two cores would only blur.
/// </summary>
[CollectionDefinition(nameof(FailoverCollection), DisableParallelization = true)]
public sealed class FailoverCollection;
