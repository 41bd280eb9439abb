using System.Net;
using System.Net.Sockets;

namespace Ipam.Process.Tests;

/// <summary>A server that cannot start says why in one line and exits 1, with no stack trace from the host's log.</summary>
public sealed class ServeStartFailureTests
{
    [Fact]
    public async Task Serve_OnAPortInUse_ExitsOneWithOneLineAndNoStackTrace()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var directory = Directory.CreateTempSubdirectory("ipam-busy-port-").FullName;
        try
        {
            var (exitCode, output) = await ServerProcess.RunCliAsync(
                "serve", "--urls", $"http://127.0.0.1:{port}", "--database", $"sqlite:{Path.Combine(directory, "ipam.db")}");

            Assert.Equal(1, exitCode);
            var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"error: cannot start Ipam on http://127.0.0.1:{port}", line, StringComparison.Ordinal);
            Assert.Contains("address already in use", line, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
