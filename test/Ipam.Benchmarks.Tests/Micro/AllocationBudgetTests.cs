using Ipam.Benchmarks.Micro;

namespace Ipam.Benchmarks.Tests.Micro;

/// <summary>
/// Every micro-benchmark case stays within the allocation budget its [AllocationBudget] declares, measured
/// without BenchmarkDotNet, so that a plain test run catches an allocation added to a hot path.
/// </summary>
public sealed class AllocationBudgetTests
{
    private const int Calls = 20_000;

    public static TheoryData<string> Cases => [.. MicroBenchmarks.Cases().Select(AllocationBudgetCheck.NameOf)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Benchmark_AllocatesNoMoreThanItsBudget(string name)
    {
        var benchmark = MicroBenchmarks.Cases().Single(c => AllocationBudgetCheck.NameOf(c) == name);

        var check = AllocationBudgetCheck.Of(benchmark, AllocationProbe.BytesPerOperation(benchmark, Calls));

        Assert.False(check.Exceeded, check.Describe());
    }

    [Fact]
    public void Cases_CoverEveryBenchmarkMethod()
    {
        var methods = MicroBenchmarks.Types
            .SelectMany(t => t.GetMethods())
            .Where(m => m.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), inherit: false))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToHashSet();

        var covered = MicroBenchmarks.Cases().Select(c => $"{c.Descriptor.Type.Name}.{c.Descriptor.WorkloadMethod.Name}").ToHashSet();

        Assert.NotEmpty(methods);
        Assert.Equal(methods.Order(), covered.Order());
    }
}
