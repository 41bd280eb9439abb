using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;

namespace Ipam.Process.Tests;

/// <summary><c>ipam events --follow</c> stopped by a service manager (SIGTERM) ends as Ctrl+C ends it: with the cursor to go on from.</summary>
public sealed class FollowerSignalTests
{
    [Fact]
    public async Task Follow_Sigterm_PrintsWhereToGoOnFromAndExitsZero()
    {
        var directory = Directory.CreateTempSubdirectory("ipam-follow-term-").FullName;
        try
        {
            await using var server = await ServerProcess.StartAsync($"sqlite:{Path.Combine(directory, "ipam.db")}");
            (await server.Client.PostAsJsonAsync("/v1/subnets", new { cidr = "10.93.0.0/24" })).EnsureSuccessStatusCode();

            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "ipam.dll"), "events", "--follow", "--server", server.Address.ToString() })
            {
                start.ArgumentList.Add(argument);
            }

            var output = new StringBuilder();
            using var follower = System.Diagnostics.Process.Start(start)!;
            follower.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            follower.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            follower.BeginOutputReadLine();
            follower.BeginErrorReadLine();
            var waited = Stopwatch.StartNew();
            while (!Printed(output, "subnet.created"))
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60) && !follower.HasExited, $"the follower printed no event: {output}");
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", follower.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            {
                await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            }

            await follower.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Assert.Equal(0, follower.ExitCode);
            Assert.True(Printed(output, "To go on from here: ipam events --follow --after "), output.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static bool Printed(StringBuilder output, string text)
    {
        lock (output)
        {
            return output.ToString().Contains(text, StringComparison.Ordinal);
        }
    }
}
