using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Running;

namespace Ipam.Benchmarks.Micro;

/// <summary>One micro-benchmark case's measured allocation against its declared budget.</summary>
internal sealed record AllocationBudgetCheck(string Benchmark, double MeasuredBytesPerOperation, AllocationBudgetAttribute Budget)
{
    /// <summary>
    /// How far over its budget a case may measure. The smallest object is 24 bytes, so an allocation added to
    /// every call always shows; a few bytes per call over are a one-off allocation spread over many calls, or
    /// (in BenchmarkDotNet's in-process runs, which count every thread) another thread's.
    /// </summary>
    public const double ToleranceBytes = 8;

    /// <summary>Whole bytes, as BenchmarkDotNet reports them.</summary>
    public long Measured => (long)Math.Round(MeasuredBytesPerOperation, MidpointRounding.AwayFromZero);

    public bool Exceeded => MeasuredBytesPerOperation >= Budget.BytesPerOperation + ToleranceBytes;

    public static AllocationBudgetCheck Of(BenchmarkCase benchmark, double measuredBytesPerOperation) =>
        new(NameOf(benchmark), measuredBytesPerOperation, BudgetOf(benchmark.Descriptor.WorkloadMethod));

    /// <summary><c>Type.Method</c>, with the parameter values in brackets when the case has any.</summary>
    public static string NameOf(BenchmarkCase benchmark)
    {
        var method = benchmark.Descriptor.WorkloadMethod;
        var name = $"{method.DeclaringType!.Name}.{method.Name}";
        return benchmark.HasParameters
            ? $"{name}({string.Join(", ", benchmark.Parameters.Items.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name}={p.Value}")))})"
            : name;
    }

    public static AllocationBudgetAttribute BudgetOf(MethodInfo method) =>
        method.GetCustomAttribute<AllocationBudgetAttribute>()
            ?? throw new InvalidOperationException(
                $"{method.DeclaringType!.Name}.{method.Name} declares no [AllocationBudget]: every micro-benchmark states how many bytes a call may allocate.");

    public string Describe() => Exceeded
        ? $"allocation budget exceeded: {Benchmark} allocates {Measured} B/op, its budget is {Budget.BytesPerOperation} B/op"
        : $"within budget: {Benchmark} allocates {Measured} B/op, its budget is {Budget.BytesPerOperation} B/op";
}
