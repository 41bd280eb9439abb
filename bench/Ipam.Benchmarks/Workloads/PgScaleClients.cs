using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ipam.Allocations.Strategies;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// HTTP clients of several instances, as behind a load balancer: every request goes to the next instance in turn,
/// whichever client sends it. Each client asks for one address per request in its subnet (client i in subnet
/// i mod the count) until the time is up.
/// </summary>
internal sealed class PgScaleClients : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private readonly HttpClient[] _instances;
    private int _next;

    public PgScaleClients(IEnumerable<Uri> instances)
    {
        _instances = [.. instances.Select(uri => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false }) { BaseAddress = uri })];
    }

    public async Task<PgScaleOutcome> RunAsync(IReadOnlyList<Guid> subnets, string strategy, int clients, TimeSpan duration)
    {
        var body = Encoding.UTF8.GetBytes(strategy == AllocationStrategies.Random
            ? """{"owner":"pg-scale"}"""
            : $$"""{"strategy":"{{strategy}}","owner":"pg-scale"}""");
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, clients).Select(client =>
            Task.Run(() => ClientAsync($"/v1/subnets/{subnets[client % subnets.Count]}/allocations", body, watch, duration))));
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var failures = new Dictionary<string, int>();
        foreach (var (kind, count) in results.SelectMany(r => r.Failures))
        {
            failures[kind] = failures.GetValueOrDefault(kind) + count;
        }

        return new PgScaleOutcome(seconds, [.. results.SelectMany(r => r.Latencies)], [.. results.SelectMany(r => r.Locations)], failures, cpuSeconds);
    }

    public void Dispose() => Array.ForEach(_instances, http => http.Dispose());

    private async Task<(List<double> Latencies, List<string> Locations, Dictionary<string, int> Failures)> ClientAsync(
        string path, byte[] body, Stopwatch watch, TimeSpan duration)
    {
        var latencies = new List<double>();
        var locations = new List<string>();
        var failures = new Dictionary<string, int>();
        while (watch.Elapsed < duration)
        {
            var http = _instances[(uint)Interlocked.Increment(ref _next) % (uint)_instances.Length];
            var start = Stopwatch.GetTimestamp();
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = JsonType;
                using var response = await http.PostAsync(path, content);
                var answer = await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode == HttpStatusCode.Created && response.Headers.Location is { } location)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                    locations.Add(location.OriginalString);
                }
                else
                {
                    var kind = $"{(int)response.StatusCode} {ProblemCode(answer)}".TrimEnd();
                    failures[kind] = failures.GetValueOrDefault(kind) + 1;
                }
            }
            catch (HttpRequestException e)
            {
                failures[e.GetType().Name] = failures.GetValueOrDefault(e.GetType().Name) + 1;
            }
        }

        return (latencies, locations, failures);
    }

    /// <summary>The <c>code</c> of a problem-details answer, or empty.</summary>
    private static string ProblemCode(byte[] answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            return json.RootElement.TryGetProperty("code", out var code) ? code.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
