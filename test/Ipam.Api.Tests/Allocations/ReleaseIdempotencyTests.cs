using System.Net;
using Ipam.Api.Tests.Events;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Allocations;

/// <summary>
/// <c>Idempotency-Key</c> on a release: a retry answers as the first release did and changes nothing, even once the
/// address has been allocated again; the first and the retry go to different instances where there are several.
/// </summary>
public abstract class ReleaseIdempotencyTests(ApiFixture api) : AllocationTestBase(api)
{
    private HttpClient First => Api.Server.InstanceClients[0];

    private HttpClient Last => Api.Server.InstanceClients[^1];

    [Fact]
    public async Task Release_SameKeyAfterAddressAllocatedAgain_Answers204AndKeepsTheNewHolder()
    {
        var tenant = NewTenant();
        var id = await SubnetAsync(new { cidr = "10.66.0.0/24", tenant_id = tenant });
        await Api.AllocateAsync(id, new { ip_address = "10.66.0.10", owner = "old" });
        var key = Guid.NewGuid().ToString();

        AssertStatus(await Api.ReleaseWithKeyAsync(id, "10.66.0.10", key, First), HttpStatusCode.NoContent);
        await Api.AllocateAsync(id, new { ip_address = "10.66.0.10", owner = "new" });
        var retried = await Api.ReleaseWithKeyAsync(id, "10.66.0.10", key, Last);

        AssertStatus(retried, HttpStatusCode.NoContent);
        var holder = Assert.Single(await Api.AllocationsAsync(id));
        Assert.Equal("new", (string?)holder["owner"]);
        Assert.Equal("1", Usage(await Api.GetSubnetAsync(id), "allocated"));
        Assert.Equal(["allocation.created", "allocation.released", "allocation.created"], await AllocationEventsAsync(tenant));
    }

    [Fact]
    public async Task Release_SameKeyAfterNotFound_Answers404AgainAndKeepsTheHolder()
    {
        var id = await SubnetAsync(new { cidr = "10.66.1.0/24" });
        var key = Guid.NewGuid().ToString();
        await ProblemAsync(await Api.ReleaseWithKeyAsync(id, "10.66.1.20", key, First), 404, "allocation-not-found");
        await Api.AllocateAsync(id, new { ip_address = "10.66.1.20", owner = "holder" });

        var problem = await ProblemAsync(await Api.ReleaseWithKeyAsync(id, "10.66.1.20", key, Last), 404, "allocation-not-found");

        Assert.Equal("10.66.1.20", (string?)problem["ip_address"]);
        Assert.Equal(["10.66.1.20"], await Api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task Release_KeyUsedForAnotherRequest_Returns422AndChangesNothing()
    {
        var id = await SubnetAsync(new { cidr = "10.66.2.0/24" });
        await Api.AllocateAsync(id, new { ip_address = "10.66.2.30" });
        await Api.AllocateAsync(id, new { ip_address = "10.66.2.31" });
        var released = Guid.NewGuid().ToString();
        AssertStatus(await Api.ReleaseWithKeyAsync(id, "10.66.2.30", released, First), HttpStatusCode.NoContent);
        var allocated = Guid.NewGuid().ToString();
        await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, allocated, new { ip_address = "10.66.2.32" }), 201);
        var before = await Api.SnapshotAsync(id);

        var otherAddress = await ProblemAsync(await Api.ReleaseWithKeyAsync(id, "10.66.2.31", released, Last), 422, "idempotency-key-mismatch");
        await ProblemAsync(await Api.AllocateWithKeyAsync(id, released, new { ip_address = "10.66.2.30" }), 422, "idempotency-key-mismatch");
        await ProblemAsync(await Api.ReleaseWithKeyAsync(id, "10.66.2.32", allocated, Last), 422, "idempotency-key-mismatch");

        Assert.Equal(released, (string?)otherAddress["idempotency_key"]);
        Assert.Equal(before, await Api.SnapshotAsync(id));
    }

    [Fact]
    public async Task Release_SameKeyOnAnotherSubnet_IsANewRequestAndTheFirstStillReplays()
    {
        var first = await SubnetAsync(new { cidr = "10.66.3.0/24" });
        var second = await SubnetAsync(new { cidr = "10.66.4.0/24" });
        await Api.AllocateAsync(first, new { ip_address = "10.66.3.5" });
        await Api.AllocateAsync(second, new { ip_address = "10.66.4.5" });
        var key = Guid.NewGuid().ToString();

        AssertStatus(await Api.ReleaseWithKeyAsync(first, "10.66.3.5", key, First), HttpStatusCode.NoContent);
        AssertStatus(await Api.ReleaseWithKeyAsync(second, "10.66.4.5", key, Last), HttpStatusCode.NoContent);
        await Api.AllocateAsync(first, new { ip_address = "10.66.3.5", owner = "new" });
        AssertStatus(await Api.ReleaseWithKeyAsync(first, "10.66.3.5", key, Last), HttpStatusCode.NoContent);

        Assert.Empty(await Api.AllocatedAddressesAsync(second));
        Assert.Equal(["10.66.3.5"], await Api.AllocatedAddressesAsync(first));
    }

    [Fact]
    public async Task Release_SameKeyConcurrently_ReleasesOnceAndAnswersEach204()
    {
        var tenant = NewTenant();
        var id = await SubnetAsync(new { cidr = "10.66.5.0/24", tenant_id = tenant });
        var addresses = V4Range("10.66.5", 10, 17);
        foreach (var address in addresses)
        {
            await Api.AllocateAsync(id, new { ip_address = address });
        }

        var key = Guid.NewGuid().ToString();
        var sameKey = Enumerable.Range(0, 6).Select(_ => Api.ReleaseWithKeyAsync(id, "10.66.5.10", key));
        var others = addresses.Skip(1).Select(a => Api.ReleaseWithKeyAsync(id, a, Guid.NewGuid().ToString()));
        var answers = await Task.WhenAll(sameKey.Concat(others));

        Assert.All(answers, a => AssertStatus(a, HttpStatusCode.NoContent));
        Assert.Empty(await Api.AllocatedAddressesAsync(id));
        var events = await AllocationEventsAsync(tenant);
        Assert.Equal(addresses.Count, events.Count(e => e == "allocation.released"));
    }

    [Fact]
    public async Task Release_KeyTooLong_Returns400AndReleasesNothing()
    {
        var id = await SubnetAsync(new { cidr = "10.66.6.0/24" });
        await Api.AllocateAsync(id, new { ip_address = "10.66.6.7" });

        await ValidationProblemAsync(await Api.ReleaseWithKeyAsync(id, "10.66.6.7", new string('k', 256)));

        Assert.Equal(["10.66.6.7"], await Api.AllocatedAddressesAsync(id));
    }

    private async Task<List<string>> AllocationEventsAsync(string tenant) =>
        [.. EventsTestBase.Types(await EventsTestBase.FollowAsync(Api.Server, $"tenant_id={tenant}", 1000, "0"))
            .Where(t => t.StartsWith("allocation.", StringComparison.Ordinal))];
}

public sealed class ReleaseIdempotencyTestsOnSqlite(SqliteApiFixture api) : ReleaseIdempotencyTests(api), IClassFixture<SqliteApiFixture>;

public sealed class ReleaseIdempotencyTestsOnPostgres(PostgresApiFixture api) : ReleaseIdempotencyTests(api), IClassFixture<PostgresApiFixture>;

public sealed class ReleaseIdempotencyTestsOnThreeInstances(ThreeInstancesApiFixture api) : ReleaseIdempotencyTests(api), IClassFixture<ThreeInstancesApiFixture>;
