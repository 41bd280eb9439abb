using System.Net;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Allocations;

/// <summary><c>Idempotency-Key</c>: a retried request gets the original answer and allocates nothing more.</summary>
public abstract class IdempotencyTests(ApiFixture api) : AllocationTestBase(api)
{
    [Fact]
    public async Task Allocate_SameIdempotencyKeyAndBody_ReturnsOriginalAndAllocatesOnce()
    {
        var id = await SubnetAsync(new { cidr = "10.65.0.0/24" });
        var key = Guid.NewGuid().ToString();
        var body = new { owner = "retrying-client" };

        var first = await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, key, body), 201);
        var second = await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, key, body), 201);
        var third = await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, key, body), 201);

        Assert.Equal(Ip(first), Ip(second));
        Assert.Equal(Ip(first), Ip(third));
        Assert.Equal((string?)first["created_at"], (string?)second["created_at"]);
        Assert.Equal([Ip(first)], await Api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task Allocate_SameIdempotencyKeyForBulk_ReturnsTheSameItems()
    {
        var id = await SubnetAsync(new { cidr = "10.65.1.0/24" });
        var key = Guid.NewGuid().ToString();

        var first = await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, key, new { count = 4 }), 201);
        var second = await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, key, new { count = 4 }), 201);

        Assert.Equal(Items(first), Items(second));
        Assert.Equal(Items(first).OrderBy(V4), await Api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task Allocate_DifferentIdempotencyKeys_AllocateSeparately()
    {
        var id = await SubnetAsync(new { cidr = "10.65.2.0/24" });

        var first = await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, Guid.NewGuid().ToString(), new { }), 201);
        var second = await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, Guid.NewGuid().ToString(), new { }), 201);

        Assert.NotEqual(Ip(first), Ip(second));
        Assert.Equal(2, (await Api.AllocatedAddressesAsync(id)).Count);
    }

    [Theory]
    [InlineData("""{"owner": "b"}""")]
    [InlineData("""{"owner": "a", "strategy": "next"}""")]
    [InlineData("""{"owner": "a", "count": 2}""")]
    [InlineData("""{"owner": "a", "ip_address": "10.65.3.50"}""")]
    public async Task Allocate_SameIdempotencyKeyDifferentBody_Returns422AndChangesNothing(string otherBody)
    {
        var id = await SubnetAsync(new { cidr = "10.65.3.0/24" });
        var key = Guid.NewGuid().ToString();
        await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, key, new { owner = "a" }), 201);
        var before = await Api.SnapshotAsync(id);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/subnets/{id}/allocations")
        {
            Content = new StringContent(otherBody, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        var problem = await ProblemAsync(await Api.Client.SendAsync(request), 422, "idempotency-key-mismatch");

        Assert.Equal(key, (string?)problem["idempotency_key"]);
        Assert.Equal(before, await Api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Allocate_SameIdempotencyKeyOnAnotherSubnet_Returns422()
    {
        var first = await SubnetAsync(new { cidr = "10.65.4.0/24" });
        var second = await SubnetAsync(new { cidr = "10.65.5.0/24" });
        var key = Guid.NewGuid().ToString();
        await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(first, key, new { }), 201);
        var before = await Api.SnapshotAsync(first, second);

        var problem = await ProblemAsync(await Api.AllocateWithKeyAsync(second, key, new { }), 422, "idempotency-key-mismatch");

        Assert.Equal(key, (string?)problem["idempotency_key"]);
        Assert.Equal(before, await Api.SnapshotAsync(first, second));
    }

    [Fact]
    public async Task Allocate_IdempotencyKeyOfFailedRequest_IsNotRemembered()
    {
        var id = await SubnetAsync(new { cidr = "10.65.6.0/30" });
        await Api.AllocateAsync(id, new { ip_address = "10.65.6.2" });
        var key = Guid.NewGuid().ToString();
        await ProblemAsync(await Api.AllocateWithKeyAsync(id, key, new { }), 409, "pool-exhausted");
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.65.6.2"), HttpStatusCode.NoContent);

        var retried = await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, key, new { }), 201);

        Assert.Equal("10.65.6.2", Ip(retried));
        Assert.Equal(["10.65.6.2"], await Api.AllocatedAddressesAsync(id));
    }
}

public sealed class IdempotencyTestsOnSqlite(SqliteApiFixture api) : IdempotencyTests(api), IClassFixture<SqliteApiFixture>;

public sealed class IdempotencyTestsOnPostgres(PostgresApiFixture api) : IdempotencyTests(api), IClassFixture<PostgresApiFixture>;

public sealed class IdempotencyTestsOnThreeInstances(ThreeInstancesApiFixture api) : IdempotencyTests(api), IClassFixture<ThreeInstancesApiFixture>;
