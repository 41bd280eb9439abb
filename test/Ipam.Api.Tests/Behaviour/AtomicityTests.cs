using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Behaviour;

public abstract class AtomicityTests(StoreKind store)
{
    [Fact]
    public async Task Restart_AfterAllocations_AllocationsSurviveAndAreNotHandedOutAgain()
    {
        await using var server = await IpamServer.StartAsync(store: store);
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
        await using var server = await IpamServer.StartAsync(store: store);
        var subnet = await server.CreateSubnetAsync(new { cidr = "10.61.0.0/24" });
        var id = (string)subnet["id"]!;
        await server.AllocateAsync(id, new { ip_address = "10.61.0.7" });

        var error = await Database.TryExecuteAsync(server,
            "INSERT INTO allocations (subnet_id, ip, created_at) SELECT subnet_id, ip, created_at FROM allocations WHERE subnet_id = @id", id);
        Assert.True(Database.IsConstraintViolation(error), $"expected a constraint violation, got {error?.Message ?? "success"}");
    }

    [Fact]
    public async Task Database_AllocationForMissingSubnet_RefusedByForeignKey()
    {
        await using var server = await IpamServer.StartAsync(store: store);
        var key = server.Store == StoreKind.Sqlite ? "zeroblob(16)" : "decode('00000000000000000000000000000000', 'hex')";
        var error = await Database.TryExecuteAsync(server,
            $"INSERT INTO allocations (subnet_id, ip, created_at) VALUES (@id, {key}, '2026-01-01T00:00:00.0000000Z')",
            "00000000-0000-0000-0000-000000000001");
        Assert.True(Database.IsConstraintViolation(error), $"expected a constraint violation, got {error?.Message ?? "success"}");
    }

    [Fact]
    public async Task AllocateBulk_MoreThanFree_LeavesNoTrace()
    {
        await using var server = await IpamServer.StartAsync(store: store);
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

public sealed class AtomicityTestsOnSqlite() : AtomicityTests(StoreKind.Sqlite);

public sealed class AtomicityTestsOnPostgres() : AtomicityTests(StoreKind.Postgres);

public sealed class AtomicityTestsOnThreeInstances() : AtomicityTests(StoreKind.ThreePostgresInstances);
