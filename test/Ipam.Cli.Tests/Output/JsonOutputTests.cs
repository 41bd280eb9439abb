using System.Text.Json;
using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Output;

public sealed class JsonOutputTests
{
    [Fact]
    public async Task Every_command_with_a_response_prints_it_as_pretty_json()
    {
        await using var server = await TestServer.StartAsync();
        var created = (await server.RunAsync("subnet", "create", "10.17.0.0/24", "--name", "j", "--json")).Json();
        var id = created.GetProperty("id").GetString()!;

        string[][] commands =
        [
            ["subnet", "list"],
            ["subnet", "show", id],
            ["subnet", "update", id, "--name", "k"],
            ["allocate", id],
            ["allocate", id, "--count", "2"],
            ["allocations", id],
            ["allocations", id, "--all"],
            ["usage", id],
        ];
        foreach (var command in commands)
        {
            var result = await server.RunAsync([.. command, "--json"]);
            var json = result.Json();
            Assert.Equal(JsonValueKind.Object, json.ValueKind);
            Assert.Contains("\n  \"", result.Out, StringComparison.Ordinal); // indented
        }

        Assert.Equal(
            ["id", "cidr", "ip_version", "gateway_ip", "allocation_pools", "subnet_pool_id", "ipv6_address_mode", "tenant_id", "name", "usage", "created_at", "reuse_cooldown_seconds"],
            created.EnumerateObject().Select(p => p.Name).Where(n => n != "updated_at"));
    }

    [Fact]
    public async Task Release_and_delete_print_nothing_with_json()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.18.0.0/24");
        var ip = Assert.Single((await server.RunAsync("allocate", id)).AssertOk().Lines);

        Assert.Empty((await server.RunAsync("release", id, ip, "--json")).AssertOk().Out);
        Assert.Empty((await server.RunAsync("subnet", "delete", id, "--json")).AssertOk().Out);
    }
}
