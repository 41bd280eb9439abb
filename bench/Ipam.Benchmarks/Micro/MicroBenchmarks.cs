using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Ipam.Benchmarks.Harness;
using Perfolizer.Horology;

namespace Ipam.Benchmarks.Micro;

/// <summary>
/// <c>bench/run micro [BenchmarkDotNet options]</c>: runs the micro-benchmarks with BenchmarkDotNet and fails
/// when a case allocates more per call than its <see cref="AllocationBudgetAttribute"/> allows.
/// </summary>
internal static class MicroBenchmarks
{
    public static IReadOnlyList<Type> Types { get; } = [typeof(FreeRangeIndexBenchmarks), typeof(AddressingBenchmarks), typeof(JsonMappingBenchmarks)];

    /// <summary>
    /// Without a <c>--job</c> of the caller's: three warm-up and three measured iterations of 100 ms in this
    /// process, so a run over every case takes minutes on two cores and builds nothing more.
    /// </summary>
    public static Job ShortJob { get; } = Job.ShortRun
        .WithIterationTime(TimeInterval.FromMilliseconds(100))
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithId("ShortInProcess");

    /// <summary>Every case BenchmarkDotNet would run, one per benchmark method and parameter value.</summary>
    public static IEnumerable<BenchmarkCase> Cases() =>
        Types.SelectMany(type => BenchmarkConverter.TypeToBenchmarks(type).BenchmarksCases);

    public static int Run(IReadOnlyList<string> arguments, string artifactsDirectory, TextWriter output)
    {
        IConfig config = DefaultConfig.Instance
            .WithArtifactsPath(artifactsDirectory)
            .WithOptions(ConfigOptions.JoinSummary);
        if (!arguments.Any(a => a is "--job" or "-j"))
        {
            config = config.AddJob(ShortJob);
        }

        // Without a filter BenchmarkDotNet asks on the console which benchmarks to run.
        string[] args = arguments.Any(a => a is "--filter" or "-f") ? [.. arguments] : [.. arguments, "--filter", "*"];
        var reports = BenchmarkSwitcher.FromTypes([.. Types]).Run(args, config).SelectMany(s => s.Reports).ToArray();
        return Verdict(reports, output);
    }

    private static int Verdict(IReadOnlyList<BenchmarkReport> reports, TextWriter output)
    {
        if (reports.Count == 0)
        {
            output.WriteLine("error: no micro-benchmark ran (check --filter; `bench/run micro --list flat` lists them).");
            return 1;
        }

        var table = new Table("Allocation budgets", "benchmark", "allocated B/op", "budget B/op", "verdict");
        var failures = new List<string>();
        foreach (var report in reports)
        {
            var name = AllocationBudgetCheck.NameOf(report.BenchmarkCase);
            if (!report.Success || report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) is not { } bytes)
            {
                table.Add(name, "-", "-", "not measured");
                failures.Add($"not measured: {name} did not run to the end (see BenchmarkDotNet's log above)");
                continue;
            }

            var check = AllocationBudgetCheck.Of(report.BenchmarkCase, bytes);
            table.Add(name, $"{check.Measured}", $"{check.Budget.BytesPerOperation}", check.Exceeded ? "EXCEEDED" : "ok");
            if (check.Exceeded)
            {
                failures.Add(check.Describe());
            }
        }

        table.Write(output);
        output.WriteLine();
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        output.WriteLine(failures.Count == 0
            ? $"all {reports.Count} micro-benchmarks within their allocation budgets"
            : $"{failures.Count} of {reports.Count} micro-benchmarks over budget or not measured");
        return failures.Count == 0 ? 0 : 1;
    }
}
