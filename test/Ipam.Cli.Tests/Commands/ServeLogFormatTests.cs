using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ipam.Testing;

namespace Ipam.Cli.Tests.Commands;

/// <summary><c>ipam serve --log-format json</c> as a real process: its stdout is JSON lines, and a store failure's line carries the trace id.</summary>
public sealed partial class ServeLogFormatTests
{
    [Fact]
    public async Task Serve_LogFormatJson_EveryLineIsJsonAndAStoreFailureCarriesTheRequestsTraceId()
    {
        await using var cluster = await PostgresCluster.TryStartAsync() ?? throw new InvalidOperationException(PostgresCluster.UnavailableReason);
        var lines = new ConcurrentQueue<string>();
        using var process = Start(lines, "serve", "--log-format", "json", "--urls", "http://127.0.0.1:0",
            "--database", await cluster.CreateDatabaseUrlAsync(), "--request-timeout", "5");
        try
        {
            var started = await EventuallyAsync(lines, process, l => l.GetProperty("EventId").GetInt32() == 3000);
            var url = Listening().Match(started.GetProperty("Message").GetString()!).Groups["url"].Value;
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            var subnet = await client.PostAsJsonAsync("/v1/subnets", new { cidr = "10.39.0.0/24" }, TestContext.Current.CancellationToken);
            Assert.True(subnet.IsSuccessStatusCode);

            await cluster.DisposeAsync();
            var failed = await client.GetAsync("/v1/subnets", TestContext.Current.CancellationToken);
            Assert.Equal(503, (int)failed.StatusCode);
            var traceparent = JsonDocument.Parse(await failed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("trace_id").GetString()!;
            var traceId = traceparent.Split('-')[1];

            var logged = await EventuallyAsync(lines, process, l => l.TryGetProperty("State", out var state) &&
                state.TryGetProperty("TraceId", out var id) && id.GetString() == traceparent);
            Assert.Equal("Warning", logged.GetProperty("LogLevel").GetString());
            Assert.Contains("PostgreSQL", logged.GetProperty("Exception").GetString(), StringComparison.Ordinal);
            Assert.Contains(logged.GetProperty("Scopes").EnumerateArray(), scope => scope.TryGetProperty("TraceId", out var id) && id.GetString() == traceId);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
    }

    /// <summary>The log says what an operator needs at Information and above: no line per request at Debug, with or without a token.</summary>
    [Fact]
    public async Task Serve_Requests_LogNothingBelowInformation()
    {
        var directory = Directory.CreateTempSubdirectory("ipam-log-level-").FullName;
        var lines = new ConcurrentQueue<string>();
        using var process = Start(lines, "serve", "--log-format", "json", "--urls", "http://127.0.0.1:0",
            "--database", $"sqlite:{Path.Combine(directory, "ipam.db")}", "--auth", "on");
        try
        {
            var started = await EventuallyAsync(lines, process, l => l.GetProperty("EventId").GetInt32() == 3000);
            var url = Listening().Match(started.GetProperty("Message").GetString()!).Groups["url"].Value;
            using var anonymous = new HttpClient { BaseAddress = new Uri(url) };
            Assert.Equal(401, (int)(await anonymous.GetAsync("/v1/subnets", TestContext.Current.CancellationToken)).StatusCode);
            Assert.Equal(401, (int)(await anonymous.GetAsync("/v1/subnets?token=x", TestContext.Current.CancellationToken)).StatusCode);
            using var wrong = new HttpClient { BaseAddress = new Uri(url) };
            wrong.DefaultRequestHeaders.Authorization = new("Bearer", "ipam_not-a-token");
            Assert.Equal(401, (int)(await wrong.GetAsync("/v1/subnets", TestContext.Current.CancellationToken)).StatusCode);
            Assert.Equal(200, (int)(await anonymous.GetAsync("/healthz", TestContext.Current.CancellationToken)).StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Directory.Delete(directory, recursive: true);
        }

        Assert.All(lines, line => Assert.DoesNotContain(JsonDocument.Parse(line).RootElement.GetProperty("LogLevel").GetString(), new[] { "Trace", "Debug" }));

        // Nothing per refused request but the one line for the token that was presented and refused.
        var authentication = lines.Select(l => JsonDocument.Parse(l).RootElement).Where(l => l.GetProperty("Category").GetString()!.Contains("Authentication", StringComparison.Ordinal)).ToList();
        Assert.Equal(1100, Assert.Single(authentication).GetProperty("EventId").GetInt32());
    }

    /// <summary>Runs the built <c>ipam</c> (beside the tests) with <c>dotnet</c>, collecting its stdout lines.</summary>
    private static Process Start(ConcurrentQueue<string> lines, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(CliApp).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                lines.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<JsonElement> EventuallyAsync(ConcurrentQueue<string> lines, Process process, Func<JsonElement, bool> wanted)
    {
        for (var waited = 0; waited < 600; waited++)
        {
            foreach (var line in lines)
            {
                var json = JsonDocument.Parse(line).RootElement;
                if (wanted(json))
                {
                    return json;
                }
            }

            Assert.False(process.HasExited, $"ipam exited early: {string.Join('\n', lines)}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"ipam never logged the line: {string.Join('\n', lines)}");
    }

    [GeneratedRegex(@"Ipam listening on (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
