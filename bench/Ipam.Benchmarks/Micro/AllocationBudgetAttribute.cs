namespace Ipam.Benchmarks.Micro;

/// <summary>
/// The most bytes one call of a micro-benchmark may allocate on the managed heap, for every parameter value.
/// <c>bench/run micro</c> fails when BenchmarkDotNet measures more, and the allocation budget tests
/// (test/Ipam.Benchmarks.Tests) fail when a plain loop over the same method does, so this attribute is the
/// only place a budget is written down.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class AllocationBudgetAttribute(long bytesPerOperation) : Attribute
{
    public long BytesPerOperation { get; } = bytesPerOperation;

    /// <summary>What the allowed bytes are (empty for a zero budget).</summary>
    public string Why { get; init; } = "";
}
