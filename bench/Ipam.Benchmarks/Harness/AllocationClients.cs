using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Allocations.Strategies;

namespace Ipam.Benchmarks.Harness;

/// <summary>How a workload talks to Ipam: through the service layer, or over HTTP to the same instance.</summary>
internal interface IAllocationClient
{
    string Kind { get; }

    Task<Guid> CreateSubnetAsync(Cidr cidr);

    /// <summary>One request for one address.</summary>
    Task AllocateOneAsync(Guid subnetId, string strategy);

    /// <summary>One request for <paramref name="count"/> addresses (all or nothing).</summary>
    Task AllocateManyAsync(Guid subnetId, string strategy, int count);
}

/// <summary>Calls <see cref="AllocationService"/> directly: everything a request does except HTTP.</summary>
internal sealed class ServiceClient(IpamInstance ipam) : IAllocationClient
{
    public string Kind => "service layer";

    public async Task<Guid> CreateSubnetAsync(Cidr cidr) => (await ipam.CreateSubnetAsync(cidr.ToString())).Id;

    public Task AllocateOneAsync(Guid subnetId, string strategy) =>
        ipam.Allocations.AllocateAsync(subnetId, new AllocationRequest { Strategy = strategy, Owner = "bench" });

    public Task AllocateManyAsync(Guid subnetId, string strategy, int count) =>
        ipam.Allocations.AllocateAsync(subnetId, new AllocationRequest { Strategy = strategy, Count = count, Owner = "fill" });
}

/// <summary>Real HTTP/1.1 requests over loopback to the instance's Kestrel, one connection, JSON bodies.</summary>
internal sealed class HttpAllocationClient : IAllocationClient, IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private readonly HttpClient _http;

    public HttpAllocationClient(Uri baseAddress)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseProxy = false }) { BaseAddress = baseAddress };
    }

    public string Kind => "HTTP";

    public async Task<Guid> CreateSubnetAsync(Cidr cidr)
    {
        using var response = await PostAsync("/v1/subnets", $$"""{"cidr":"{{cidr}}","name":"bench"}""");
        await using var body = await response.Content.ReadAsStreamAsync();
        using var json = await JsonDocument.ParseAsync(body);
        return json.RootElement.GetProperty("id").GetGuid();
    }

    public async Task AllocateOneAsync(Guid subnetId, string strategy)
    {
        using var response = await PostAsync($"/v1/subnets/{subnetId}/allocations", strategy == AllocationStrategies.Next
            ? """{"strategy":"next","owner":"bench"}"""
            : """{"owner":"bench"}""");
        await response.Content.LoadIntoBufferAsync();
    }

    public async Task AllocateManyAsync(Guid subnetId, string strategy, int count)
    {
        using var response = await PostAsync($"/v1/subnets/{subnetId}/allocations", $$"""{"strategy":"{{strategy}}","count":{{count}},"owner":"fill"}""");
        await response.Content.LoadIntoBufferAsync();
    }

    /// <summary>One POST of an empty JSON object that must answer 201; the answer is read and discarded.</summary>
    public async Task PostEmptyAsync(string path)
    {
        using var response = await PostAsync(path, "{}");
        await response.Content.LoadIntoBufferAsync();
    }

    /// <summary>One GET whose answer is read and discarded (for HTTP's own floor).</summary>
    public async Task GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        await response.Content.LoadIntoBufferAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> PostAsync(string path, string json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = JsonType;
        var response = await _http.PostAsync(path, content);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            var problem = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {problem}");
        }

        return response;
    }
}
