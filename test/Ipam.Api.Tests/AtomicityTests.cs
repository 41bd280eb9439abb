using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Ipam.Api.Tests;

public sealed class AtomicityTests
{
    [Fact]
    public async Task Restart_AfterAllocations_AllocationsSurviveAndAreNotHandedOutAgain()
    {
        await using var server = await IpamServer.StartAsync();
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.60.0.0/28" });
        var id = (string)subnet["id"]!;
        var before = (await IpamServer.ExpectAsync(await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { count = 10 }), 201))["items"]!
            .AsArray().Select(i => (string)i!["ip_address"]!).ToHashSet();

        await server.RestartAsync();

        var shown = await server.GetJsonAsync($"/v1/subnets/{id}");
        Assert.Equal(10, (int)shown["usage"]!["allocated"]!);
        var rest = (await IpamServer.ExpectAsync(await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { count = 3 }), 201))["items"]!
            .AsArray().Select(i => (string)i!["ip_address"]!).ToHashSet();
        Assert.Empty(rest.Intersect(before));
        await IpamServer.ExpectProblemAsync(await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { }), 409, "pool-exhausted");
    }

    [Fact]
    public async Task Database_DuplicateAllocationRow_RefusedByPrimaryKey()
    {
        await using var server = await IpamServer.StartAsync();
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.61.0.0/24" });
        var id = (string)subnet["id"]!;
        await server.AllocateAsync(id, new { ip_address = "10.61.0.7" });

        using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO allocations (subnet_id, ip, created_at) SELECT subnet_id, ip, created_at FROM allocations WHERE subnet_id = $id";
        command.Parameters.AddWithValue("$id", id);
        var error = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());
        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
    }

    [Fact]
    public async Task Database_AllocationForMissingSubnet_RefusedByForeignKey()
    {
        await using var server = await IpamServer.StartAsync();
        using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=False;Foreign Keys=True");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO allocations (subnet_id, ip, created_at) VALUES ('00000000-0000-0000-0000-000000000001', zeroblob(16), '2026-01-01T00:00:00.0000000Z')";
        var error = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());
        Assert.Equal(19, error.SqliteErrorCode);
    }

    [Fact]
    public async Task AllocateBulk_MoreThanFree_LeavesNoTrace()
    {
        await using var server = await IpamServer.StartAsync();
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.62.0.0/28" });
        var id = (string)subnet["id"]!;
        await server.AllocateAsync(id, new { count = 5 });

        var problem = await IpamServer.ExpectProblemAsync(
            await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { count = 9 }), 409, "pool-exhausted");
        Assert.Equal(9, (int)problem["requested"]!);
        Assert.Equal(8, (int)problem["free"]!);
        Assert.Equal(13, (int)problem["pool_size"]!);
        Assert.Equal(5, await Database.CountAllocationsAsync(server, id));

        var all = await server.AllocateAsync(id, new { count = 8 });
        Assert.Equal(8, all["items"]!.AsArray().Count);
    }
}
