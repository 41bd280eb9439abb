using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
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

    /// <summary>
    /// Requests under one key that arrive together (a client that retries before its first answer came): one allocates,
    /// and every one answers with its address; requests under other keys in the same moments allocate their own.
    /// </summary>
    [Theory]
    [InlineData("random")]
    [InlineData("specific")]
    public async Task Allocate_SameIdempotencyKeyConcurrently_AllocatesOnceAndAnswersEachWithIt(string kind)
    {
        var id = await SubnetAsync(new { cidr = "10.65.8.0/24" });
        var key = Guid.NewGuid().ToString();
        object body = kind == "random" ? new { owner = "retrying-client" } : new { ip_address = "10.65.8.40", owner = "retrying-client" };

        var sameKey = Enumerable.Range(0, 6).Select(_ => Api.AllocateWithKeyAsync(id, key, body));
        var others = Enumerable.Range(0, 6).Select(_ => Api.AllocateWithKeyAsync(id, Guid.NewGuid().ToString(), new { owner = "other-client" }));
        var answers = await Task.WhenAll(sameKey.Concat(others));

        var addresses = new List<string>();
        foreach (var answer in answers)
        {
            addresses.Add(Ip(await IpamServer.ExpectAsync(answer, 201)));
        }

        Assert.Single(addresses.Take(6).Distinct());
        Assert.Equal(7, addresses.Distinct().Count());
        Assert.Equal(addresses.Distinct().OrderBy(V4), await Api.AllocatedAddressesAsync(id));
    }

    /// <summary>A specific request's key is looked for with its insert: a retry after the address changed hands answers as the first time and takes nothing.</summary>
    [Fact]
    public async Task Allocate_SpecificRetryAfterTheAddressChangedHands_ReturnsTheOriginalAndChangesNothing()
    {
        var id = await SubnetAsync(new { cidr = "10.65.10.0/24" });
        var key = Guid.NewGuid().ToString();
        var body = new { ip_address = "10.65.10.7", owner = "first" };
        var first = await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, key, body), 201);
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.65.10.7"), HttpStatusCode.NoContent);
        var released = await Api.SnapshotAsync(id);

        Assert.Equal("first", (string?)(await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, key, body), 201))["owner"]);
        Assert.Equal(released, await Api.SnapshotAsync(id));
        Assert.Empty(await Api.AllocatedAddressesAsync(id));

        await Api.AllocateAsync(id, new { ip_address = "10.65.10.7", owner = "second" });
        var before = await Api.SnapshotAsync(id);

        var retried = await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, key, body), 201);

        Assert.Equal("first", (string?)retried["owner"]);
        Assert.Equal((string?)first["created_at"], (string?)retried["created_at"]);
        Assert.Equal(before, await Api.SnapshotAsync(id));
        await ProblemAsync(await Api.AllocateWithKeyAsync(id, key, new { ip_address = "10.65.10.8" }), 422, "idempotency-key-mismatch");
        Assert.Equal(before, await Api.SnapshotAsync(id));
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
    public async Task Allocate_SameIdempotencyKeyOnAnotherSubnet_IsANewRequest()
    {
        var first = await SubnetAsync(new { cidr = "10.65.4.0/24" });
        var second = await SubnetAsync(new { cidr = "10.65.5.0/24" });
        var key = Guid.NewGuid().ToString();
        var original = await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(first, key, new { strategy = "next" }), 201);

        var other = await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(second, key, new { strategy = "next" }), 201);
        var replayed = await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(first, key, new { strategy = "next" }), 201);

        Assert.Equal(second, (string?)other["subnet_id"]);
        Assert.Equal(["10.65.5.2"], await Api.AllocatedAddressesAsync(second));
        Assert.Equal(Ip(original), Ip(replayed));
        Assert.Equal(["10.65.4.2"], await Api.AllocatedAddressesAsync(first));
    }

    [Fact]
    public async Task Allocate_SameIdempotencyKeyFromAnotherCaller_IsANewRequest()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: Api.Store, authentication: true);
        var alice = await server.ClientAsync(CallerRole.Admin, tenant: null);
        var bob = await server.ClientAsync(CallerRole.Admin, tenant: null);
        var id = Id(await IpamServer.ExpectAsync(await alice.PostAsJsonAsync("/v1/subnets", new { cidr = "10.65.7.0/24" }), 201));
        var key = Guid.NewGuid().ToString();

        var fromAlice = await IpamServer.ExpectAsync(await SendAsCallerAsync(alice, id, key, """{"strategy": "next"}"""), 201);
        var fromBob = await IpamServer.ExpectAsync(await SendAsCallerAsync(bob, id, key, """{"strategy": "next", "owner": "other"}"""), 201);
        var fromAliceAgain = await IpamServer.ExpectAsync(await SendAsCallerAsync(alice, id, key, """{"strategy": "next"}"""), 201);

        Assert.Equal("10.65.7.2", Ip(fromAlice));
        Assert.Equal("10.65.7.3", Ip(fromBob));
        Assert.Equal(Ip(fromAlice), Ip(fromAliceAgain));
    }

    [Fact]
    public async Task Allocate_ReplayAfterSubnetDeleted_Returns404()
    {
        var id = await SubnetAsync(new { cidr = "10.65.8.0/24" });
        var key = Guid.NewGuid().ToString();
        await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, key, new { }), 201);
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{id}?force=true"), HttpStatusCode.NoContent);

        var problem = await ProblemAsync(await Api.AllocateWithKeyAsync(id, key, new { }), 404, "subnet-not-found");

        Assert.Equal(id, (string?)problem["subnet_id"]);
    }

    [Fact]
    public async Task Allocate_ReplayOnSubnetRecreatedUnderTheSameId_IsANewRequest()
    {
        var id = await SubnetAsync(new { cidr = "10.65.9.0/24" });
        var key = Guid.NewGuid().ToString();
        await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, key, new { ip_address = "10.65.9.7" }), 201);
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{id}?force=true"), HttpStatusCode.NoContent);
        await SubnetAsync(new { id, cidr = "10.65.9.0/24" });

        await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, key, new { ip_address = "10.65.9.7" }), 201);

        Assert.Equal(["10.65.9.7"], await Api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task Allocate_ReplayAfterExpiresAtPassed_ReturnsTheOriginalResult()
    {
        var id = await SubnetAsync(new { cidr = "10.65.10.0/24" });
        var key = Guid.NewGuid().ToString();
        var body = new { strategy = "next", expires_at = DateTimeOffset.UtcNow.AddSeconds(1).ToString("O", CultureInfo.InvariantCulture) };
        var original = await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, key, body), 201);

        await Task.Delay(TimeSpan.FromSeconds(1.2), TestContext.Current.CancellationToken);
        var replayed = await IpamServer.ExpectAsync(await Api.AllocateWithKeyAsync(id, key, body), 201);

        Assert.Equal(original.ToJsonString(), replayed.ToJsonString());
        Assert.All(await Api.AllocatedAddressesAsync(id), a => Assert.Equal(Ip(original), a));

        // The expiry sweep must not change the usage of a subnet while another test compares snapshots.
        AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{id}?force=true"), HttpStatusCode.NoContent);
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

    [Fact]
    public async Task Allocate_IdempotencyKeySentTwice_Returns400AndAllocatesNothing()
    {
        var id = await SubnetAsync(new { cidr = "10.65.9.0/24" });

        // HttpClient joins a header's values into one line; two lines need a request written by hand.
        var address = Api.Client.BaseAddress!;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        await using var stream = tcp.GetStream();
        const string body = """{"owner":"a"}""";
        var request = $"POST /v1/subnets/{id}/allocations HTTP/1.1\r\nHost: {address.Authority}\r\nConnection: close\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\nIdempotency-Key: q1\r\nIdempotency-Key: q2\r\n\r\n{body}";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        using var received = new MemoryStream();
        await stream.CopyToAsync(received).WaitAsync(TimeSpan.FromSeconds(30));
        var answer = System.Text.Encoding.UTF8.GetString(received.ToArray());

        Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"invalid-request\"", answer, StringComparison.Ordinal);
        Assert.Contains("Idempotency-Key", answer[answer.IndexOf("\r\n\r\n", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Empty(await Api.AllocatedAddressesAsync(id));
    }

    private static async Task<HttpResponseMessage> SendAsCallerAsync(HttpClient caller, string subnetId, string key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/subnets/{subnetId}/allocations")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await caller.SendAsync(request);
    }
}

public sealed class IdempotencyTestsOnSqlite(SqliteApiFixture api) : IdempotencyTests(api), IClassFixture<SqliteApiFixture>;

public sealed class IdempotencyTestsOnPostgres(PostgresApiFixture api) : IdempotencyTests(api), IClassFixture<PostgresApiFixture>;

public sealed class IdempotencyTestsOnThreeInstances(ThreeInstancesApiFixture api) : IdempotencyTests(api), IClassFixture<ThreeInstancesApiFixture>;
