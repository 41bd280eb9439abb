using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Fuzz;

/// <summary>
/// The resources generated requests aim at: an address scope, a subnet pool in it, an IPv4 and an IPv6 subnet,
/// a SLAAC subnet and a subnet from the pool (the subnets under fixed ids), with one allocation each in the
/// first two. Reset now and then, so that what valid requests create stays small.
/// </summary>
internal sealed class FuzzWorld(HttpClient client)
{
    private const string V4 = "0194a000-0000-7000-8000-000000000004";
    private const string V6 = "0194a000-0000-7000-8000-000000000006";
    private const string Slaac = "0194a000-0000-7000-8000-00000000005a";
    private const string FromPool = "0194a000-0000-7000-8000-0000000000f0";

    private string _pool = "";
    private string _scope = "";

    /// <summary>Set when a request may have deleted part of the world.</summary>
    public bool Broken { get; set; } = true;

    /// <summary>The text with the world's ids in place of the placeholders the generators use.</summary>
    public string Fill(string text) => text
        .Replace("{subnet}", V4, StringComparison.Ordinal)
        .Replace("{subnet6}", V6, StringComparison.Ordinal)
        .Replace("{slaac}", Slaac, StringComparison.Ordinal)
        .Replace("{poolsubnet}", FromPool, StringComparison.Ordinal)
        .Replace("{pool}", _pool, StringComparison.Ordinal)
        .Replace("{scope}", _scope, StringComparison.Ordinal);

    public byte[] Fill(byte[] body) =>
        body.AsSpan().IndexOf((byte)'{') < 0 || body.Length > 100_000 ? body : Encoding.UTF8.GetBytes(Fill(Encoding.UTF8.GetString(body)));

    /// <summary>Deletes everything and creates the world again.</summary>
    public async Task ResetAsync()
    {
        await DeleteAllAsync("/v1/subnets", "?force=true");
        await DeleteAllAsync("/v1/subnet-pools", "");
        await DeleteAllAsync("/v1/address-scopes", "");

        _scope = Id(await CreateAsync("/v1/address-scopes", new { name = "fuzz", ip_version = 4 }));
        _pool = Id(await CreateAsync("/v1/subnet-pools", new { name = "fuzz", prefixes = new[] { "10.200.0.0/16" }, default_prefixlen = 24, address_scope_id = _scope }));
        await CreateAsync("/v1/subnets", new { id = V4, cidr = "10.100.0.0/24", name = "fuzz-v4" });
        await CreateAsync("/v1/subnets", new { id = V6, cidr = "2001:db8:1::/64", name = "fuzz-v6" });
        await CreateAsync("/v1/subnets", new { id = Slaac, cidr = "2001:db8:2::/64", ipv6_address_mode = "slaac" });
        await CreateAsync("/v1/subnets", new { id = FromPool, subnet_pool_id = _pool, prefixlen = 24 });
        await CreateAsync($"/v1/subnets/{V4}/allocations", new { ip_address = "10.100.0.10", owner = "fuzz" });
        await CreateAsync($"/v1/subnets/{V6}/allocations", new { ip_address = "2001:db8:1::10", owner = "fuzz" });
        Broken = false;
    }

    private async Task DeleteAllAsync(string collection, string query)
    {
        while (true)
        {
            var page = await IpamServer.ExpectAsync(await client.GetAsync($"{collection}?limit=1000"), 200);
            var items = page["items"]!.AsArray();
            if (items.Count == 0)
            {
                return;
            }

            foreach (var item in items)
            {
                var response = await client.DeleteAsync($"{collection}/{Id(item!.AsObject())}{query}");
                Assert.True(response.IsSuccessStatusCode, $"Could not delete {collection}/{Id(item.AsObject())}: {(int)response.StatusCode}");
            }
        }
    }

    private async Task<JsonObject> CreateAsync(string path, object body) => await IpamServer.ExpectAsync(await client.PostAsJsonAsync(path, body), 201);

    private static string Id(JsonObject resource) => (string)resource["id"]!;
}
