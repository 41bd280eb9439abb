namespace Ipam.Benchmarks.Harness;

/// <summary>An option value the benchmark app cannot use; the app prints its message as one line and exits with 2.</summary>
internal sealed class BenchOptionException(string message) : Exception(message);
