using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ipam.Process.Tests;

/// <summary>A real <c>ipam serve</c> process on a free loopback port.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(System.Diagnostics.Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>ipam serve --database <paramref name="database"/></c> (and <paramref name="options"/>) and waits until /readyz answers 200.</summary>
    public static Task<ServerProcess> StartAsync(string database, params string[] options) => StartAsync(database, new Dictionary<string, string>(), options);

    /// <summary>As <see cref="StartAsync(string, string[])"/>, with <paramref name="environment"/> set for the process.</summary>
    public static async Task<ServerProcess> StartAsync(string database, IReadOnlyDictionary<string, string> environment, params string[] options)
    {
        var port = FreePort();
        var cli = Path.Combine(AppContext.BaseDirectory, "ipam.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        foreach (var argument in new[] { cli, "serve", "--urls", $"http://127.0.0.1:{port}", "--database", database }.Concat(options))
        {
            start.ArgumentList.Add(argument);
        }

        var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("could not start ipam serve");
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"ipam serve exited with {process.ExitCode}: {server.Output}");
            }

            try
            {
                if ((await server.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new TimeoutException($"ipam serve did not become ready: {server.Output}");
    }

    /// <summary>Runs the <c>ipam</c> command line as a process of its own; returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunCliAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments.Prepend(Path.Combine(AppContext.BaseDirectory, "ipam.dll")))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("could not start ipam");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Ends the process at once, as a power cut or kill -9 would: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
