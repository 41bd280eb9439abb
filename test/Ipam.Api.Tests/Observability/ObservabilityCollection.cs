namespace Ipam.Api.Tests.Observability;

/// <summary>
/// Metrics and span listeners are process-wide: these tests run alone, so that the counts they read move only
/// with their own requests.
/// </summary>
[CollectionDefinition(nameof(ObservabilityCollection), DisableParallelization = true)]
public sealed class ObservabilityCollection;
