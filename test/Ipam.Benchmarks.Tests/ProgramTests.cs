using System.Diagnostics;
using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Tests;

/// <summary>The benchmark app itself, started as <c>bench/run</c> starts it, with option values it does not take.</summary>
public sealed class ProgramTests
{
    [Theory]
    [InlineData("scale --store mysql", "error: --store takes sqlite, postgres, not 'mysql'.")]
    [InlineData("fill --strategy first", "error: --strategy takes random, next, both, not 'first'.")]
    [InlineData("pool --store oracle --levels 0", "error: --store takes sqlite, postgres, not 'oracle'.")]
    [InlineData("concurrent --seconds 0.1 --store nope", "error: --store takes sqlite, postgres, postgresql, both, not 'nope'.")]
    [InlineData("specific --quick --store mysql", "error: --store takes sqlite, postgres, postgresql, both, not 'mysql'.")]
    [InlineData("churn --quick --store mysql", "error: --store takes sqlite, postgres, postgresql, both, not 'mysql'.")]
    public async Task Main_BadChoice_OneLineOnStandardErrorAndExitCode2(string arguments, string expected)
    {
        var (exitCode, output, error) = await RunAsync(arguments.Split(' '));

        Assert.Equal(2, exitCode);
        Assert.Equal(expected, error.TrimEnd('\n'));
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("scale --allocations many --quick", "error: --allocations takes a number, not 'many'.")]
    [InlineData("pool --levels 0,half --quick", "error: --levels takes a number, not 'half'.")]
    [InlineData("latency --samples 1e --quick", "error: --samples takes a number, not '1e'.")]
    public async Task Main_NumberOptionNotANumber_OneLineOnStandardErrorAndExitCode2(string arguments, string expected)
    {
        var (exitCode, _, error) = await RunAsync(arguments.Split(' '));

        Assert.Equal(2, exitCode);
        Assert.Equal(expected, error.TrimEnd('\n'));
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(ChoiceOptions).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var cancel = TestContext.Current.CancellationToken;
        var output = process.StandardOutput.ReadToEndAsync(cancel);
        var error = process.StandardError.ReadToEndAsync(cancel);
        await process.WaitForExitAsync(cancel);
        return (process.ExitCode, await output, await error);
    }
}
