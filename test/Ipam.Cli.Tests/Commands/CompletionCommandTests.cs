using System.Diagnostics;
using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Commands;

public sealed class CompletionCommandTests
{
    [Theory]
    [InlineData("bash", "complete -o default -F _ipam_complete ipam")]
    [InlineData("zsh", "compdef _ipam_complete ipam")]
    public async Task Completion_PrintsTheShellsScript(string shell, string registration)
    {
        var script = (await IpamCli.RunAsync("completion", shell)).AssertOk().Out;

        Assert.Contains(registration, script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_UnknownShell_ExitsWithUsageError()
    {
        var message = (await IpamCli.RunAsync("completion", "fish")).AssertFailed(2);

        Assert.Contains("fish", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_SuggestDirective_ListsMatchingCommandsAndOptions()
    {
        Assert.Contains("subnet", (await IpamCli.RunAsync("[suggest:9]", "ipam subn")).AssertOk().Lines);
        Assert.Contains("--log-format", (await IpamCli.RunAsync("[suggest:15]", "ipam serve --lo")).AssertOk().Lines);
    }

    [Fact]
    public async Task Completion_BashScript_CompletesThroughTheRealCommand()
    {
        if (!File.Exists("/bin/bash"))
        {
            Assert.Skip("bash is not installed");
        }

        var bin = Directory.CreateTempSubdirectory("ipam-completion-").FullName;
        try
        {
            var shim = Path.Combine(bin, "ipam");
            File.WriteAllText(shim, $"#!/bin/sh\nexec dotnet '{typeof(CliApp).Assembly.Location}' \"$@\"\n");
            var script = Path.Combine(bin, "ipam.bash");
            File.WriteAllText(script, (await IpamCli.RunAsync("completion", "bash")).AssertOk().Out);

            var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"chmod +x '{shim}'; source '{script}'; COMP_LINE='ipam allo'; COMP_POINT=9; COMP_WORDS=(ipam allo); COMP_CWORD=1; _ipam_complete; printf '%s\\n' \"${{COMPREPLY[@]}}\"");
            start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
            using var bash = Process.Start(start)!;
            var output = await bash.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            await bash.WaitForExitAsync(TestContext.Current.CancellationToken);

            Assert.Equal(["allocate", "allocations"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }
}
