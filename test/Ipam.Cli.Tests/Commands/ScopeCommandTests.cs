using System.Text.Json;
using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Commands;

/// <summary><c>ipam scope</c>: address scopes and the subnet pools that belong to them.</summary>
public sealed class ScopeCommandTests
{
    [Fact]
    public async Task Scope_create_list_show_delete_and_overlap_refused()
    {
        await using var server = await TestServer.StartAsync();

        var scope = (await server.RunAsync("scope", "create", "blue", "--ip-version", "4", "--json")).Json().GetProperty("id").GetString()!;
        var shown = (await server.RunAsync("scope", "show", scope)).AssertOk();
        Assert.Contains("blue", shown.Out, StringComparison.Ordinal);
        Assert.Contains("IPv4", shown.Out, StringComparison.Ordinal);
        Assert.Contains(scope, Assert.Single((await server.RunAsync("scope", "list")).AssertOk().Lines, l => l.Contains(scope, StringComparison.Ordinal)));
        Assert.Contains("No address scopes.", (await server.RunAsync("scope", "list", "--ip-version", "6")).AssertOk().Out, StringComparison.Ordinal);

        var pool = (await server.RunAsync("pool", "create", "a", "--prefix", "172.16.0.0/16", "--scope", scope, "--json")).Json();
        Assert.Equal(scope, pool.GetProperty("address_scope_id").GetString());
        var overlap = (await server.RunAsync("pool", "create", "b", "--prefix", "172.16.128.0/17", "--scope", scope)).AssertFailed(1);
        Assert.StartsWith("error: prefix-overlap: ", overlap, StringComparison.Ordinal);
        Assert.Single((await server.RunAsync("pool", "list", "--scope", scope, "--json")).Json().GetProperty("items").EnumerateArray());

        var inUse = (await server.RunAsync("scope", "delete", scope)).AssertFailed(1);
        Assert.StartsWith("error: in-use: ", inUse, StringComparison.Ordinal);
        var left = (await server.RunAsync("pool", "update", pool.GetProperty("id").GetString()!, "--scope", "none", "--json")).Json();
        Assert.Equal(JsonValueKind.Null, left.GetProperty("address_scope_id").ValueKind);
        Assert.Contains($"Deleted address scope {scope}.", (await server.RunAsync("scope", "delete", scope)).AssertOk().Out, StringComparison.Ordinal);
    }
}
