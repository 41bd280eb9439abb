using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Pooler;

/// <summary>
/// Sixteen clients at once on one server: each allocates the next free address of a shared subnet twelve times,
/// releasing every third, then takes two /28 subnets from a shared subnet pool. Answers other than the expected
/// ones are collected rather than thrown, so that a run through a misconfigured pooler can be described.
/// </summary>
internal sealed class PoolerWorkload
{
    public const int Clients = 16;
    public const int AllocationsPerClient = 12;
    public const int SubnetsPerClient = 2;

    public string Tenant { get; } = $"pooler-{Guid.NewGuid():N}";

    public string SubnetId { get; private set; } = "";

    public string PoolId { get; private set; } = "";

    public ConcurrentBag<string> Kept { get; } = [];

    public ConcurrentBag<string> Released { get; } = [];

    public ConcurrentBag<string> PoolSubnets { get; } = [];

    /// <summary>Every unexpected answer: its status and body.</summary>
    public ConcurrentBag<string> Failures { get; } = [];

    /// <summary>Runs the workload; through a misconfigured pooler its subnet and pool may already fail, and then nothing else runs.</summary>
    public async Task RunAsync(IpamServer server)
    {
        var subnet = await AnswerAsync(await server.Client.PostAsJsonAsync("/v1/subnets", new { cidr = "10.210.0.0/23", tenant_id = Tenant }), HttpStatusCode.Created);
        var pool = subnet is null ? null : await AnswerAsync(await server.Client.PostAsJsonAsync("/v1/subnet-pools", new
        {
            name = "pooler",
            prefixes = new[] { "10.220.0.0/22" },
            min_prefixlen = 22,
            max_prefixlen = 28,
            default_prefixlen = 28,
        }), HttpStatusCode.Created);
        if (subnet is null || pool is null)
        {
            return;
        }

        SubnetId = ApiFixture.Id(subnet);
        PoolId = ApiFixture.Id(pool);
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(() => ClientAsync(server, client))));
    }

    private async Task ClientAsync(IpamServer server, int client)
    {
        for (var i = 0; i < AllocationsPerClient; i++)
        {
            var allocated = await AnswerAsync(
                await server.Client.PostAsJsonAsync($"/v1/subnets/{SubnetId}/allocations", new { strategy = "next", owner = $"client-{client}" }), HttpStatusCode.Created);
            if (allocated is null)
            {
                continue;
            }

            var address = (string)allocated["ip_address"]!;
            if (i % 3 == 2 && await AnswerAsync(await server.Client.DeleteAsync($"/v1/subnets/{SubnetId}/allocations/{address}"), HttpStatusCode.NoContent) is not null)
            {
                Released.Add(address);
            }
            else if (i % 3 != 2)
            {
                Kept.Add(address);
            }
        }

        for (var i = 0; i < SubnetsPerClient; i++)
        {
            if (await AnswerAsync(await server.Client.PostAsJsonAsync("/v1/subnets", new { subnet_pool_id = PoolId, prefixlen = 28 }), HttpStatusCode.Created) is { } subnet)
            {
                PoolSubnets.Add((string)subnet["cidr"]!);
            }
        }
    }

    private async Task<JsonObject?> AnswerAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != expected)
            {
                Failures.Add($"{(int)response.StatusCode} {body}");
                return null;
            }

            return body.Length == 0 ? [] : JsonNode.Parse(body)!.AsObject();
        }
    }
}
