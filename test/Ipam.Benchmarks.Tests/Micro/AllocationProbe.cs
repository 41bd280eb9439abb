using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Running;

namespace Ipam.Benchmarks.Tests.Micro;

/// <summary>
/// Runs one micro-benchmark case the way BenchmarkDotNet would (parameters set, global setup run), in a plain
/// loop on this thread, and counts the bytes the loop allocates on the managed heap.
/// </summary>
internal static class AllocationProbe
{
    public static double BytesPerOperation(BenchmarkCase benchmark, int calls)
    {
        var descriptor = benchmark.Descriptor;
        RequireOptimized(descriptor.Type.Assembly);
        var instance = Activator.CreateInstance(descriptor.Type)
            ?? throw new InvalidOperationException($"Could not create {descriptor.Type.Name}.");
        foreach (var parameter in benchmark.Parameters.Items)
        {
            Set(instance, parameter.Name, parameter.Value);
        }

        descriptor.GlobalSetupMethod?.Invoke(instance, null);
        try
        {
            var workload = descriptor.WorkloadMethod;
            if (workload.ReturnType == typeof(void))
            {
                return Measure(workload.CreateDelegate<Action>(instance), calls);
            }

            // A typed Func<T>, so that the loop neither boxes results nor allocates argument arrays.
            var measure = typeof(AllocationProbe).GetMethod(nameof(MeasureFunction), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(workload.ReturnType);
            var function = workload.CreateDelegate(typeof(Func<>).MakeGenericType(workload.ReturnType), instance);
            return (double)measure.Invoke(null, [function, calls])!;
        }
        finally
        {
            descriptor.GlobalCleanupMethod?.Invoke(instance, null);
        }
    }

    private static double MeasureFunction<T>(Func<T> function, int calls) => Measure(() => function(), calls);

    private static double Measure(Action operation, int calls)
    {
        // Warm up with as many calls as are measured: static constructors, caches, JIT tiers and lists that grow
        // once (each leaf of a large free-range index on its first split) allocate once, not per call.
        for (var i = 0; i < calls; i++)
        {
            operation();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            operation();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;
    }

    /// <summary>Throws unless the benchmarks and the Ipam assemblies they call are optimized builds.</summary>
    private static void RequireOptimized(Assembly benchmarks)
    {
        var ipam = benchmarks.GetReferencedAssemblies().Where(a => a.Name!.StartsWith("Ipam.", StringComparison.Ordinal)).Select(Assembly.Load);
        foreach (var assembly in ipam.Prepend(benchmarks))
        {
            if (assembly.GetCustomAttribute<DebuggableAttribute>() is { IsJITOptimizerDisabled: true })
            {
                throw new InvalidOperationException(
                    $"{assembly.GetName().Name} is a Debug build; allocation budgets hold for optimized code only (the project reference builds it in Release).");
            }
        }
    }

    private static void Set(object instance, string name, object value)
    {
        var type = instance.GetType();
        if (type.GetProperty(name) is { } property)
        {
            property.SetValue(instance, value);
        }
        else
        {
            (type.GetField(name) ?? throw new InvalidOperationException($"{type.Name} has no parameter {name}.")).SetValue(instance, value);
        }
    }
}
