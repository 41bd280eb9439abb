using System.Text.Json;

namespace Ipam.Cli.Tests.Infrastructure;

/// <summary>What one run of <c>ipam</c> printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string[] Lines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public JsonElement Json()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}: {Error}");
        return JsonSerializer.Deserialize<JsonElement>(Out);
    }

    /// <summary>Asserts the CLI's error contract: the exit code, nothing but one line on stderr, and no stack trace.</summary>
    public string AssertFailed(int exitCode)
    {
        Assert.True(ExitCode == exitCode, $"expected exit {exitCode}, got {ExitCode}; stdout: {Out}; stderr: {Error}");
        var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got: {Error}");
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\bat [A-Za-z_][\w.`+<>]*\(", Error); // a stack frame: "at Ipam.Cli.Something.Method("
        return lines[0].TrimEnd();
    }

    public CliResult AssertOk()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}; stdout: {Out}; stderr: {Error}");
        return this;
    }
}

/// <summary>Runs the CLI in-process, capturing its output.</summary>
internal static class IpamCli
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}
