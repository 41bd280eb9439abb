using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Subnets;

/// <summary>An integration that keeps its own ids (as Neutron does) creates subnets under them.</summary>
public abstract class CallerChosenIdTests(ApiFixture api)
{
    [Fact]
    public async Task CreateWithId_UsesIt_SecondCreateWithTheSameId_AlreadyExists_AndChangesNothing()
    {
        var id = Guid.NewGuid();
        var created = await api.CreateSubnetAsync(new { id, cidr = "10.170.0.0/24", name = "theirs" });
        Assert.Equal(id.ToString(), (string?)created["id"]);
        Assert.Equal("10.170.0.0/24", (string?)(await api.GetSubnetAsync(id.ToString()))["cidr"]);

        var before = await api.SnapshotAsync();
        var problem = await IpamServer.ExpectProblemAsync(await api.PostAsync("/v1/subnets", new { id, cidr = "10.171.0.0/24" }), 409, "already-exists");
        Assert.Equal(id.ToString(), (string?)problem["id"]);
        Assert.Equal(before, await api.SnapshotAsync());
    }

    [Fact]
    public async Task CreateWithId_Concurrently_ExactlyOneWins()
    {
        var id = Guid.NewGuid();
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            api.Client.PostAsJsonAsync("/v1/subnets", new { id, cidr = $"10.172.{i}.0/24" })));

        Assert.Equal(1, attempts.Count(r => (int)r.StatusCode == 201));
        foreach (var refused in attempts.Where(r => (int)r.StatusCode != 201))
        {
            await IpamServer.ExpectProblemAsync(refused, 409, "already-exists");
        }
    }

    [Theory]
    [InlineData("""{"id": "00000000-0000-0000-0000-000000000000", "cidr": "10.174.0.0/24"}""")]
    [InlineData("""{"id": "00000000-0000-0000-0000-000000000000", "subnet_pool_id": "{pool}", "prefixlen": 24}""")]
    public async Task CreateWithId_NilUuid_InvalidRequestNamingIdAndChangesNothing(string body)
    {
        var pool = await IpamServer.ExpectAsync(await api.PostAsync("/v1/subnet-pools", new { name = "nil-id", prefixes = new[] { "10.175.0.0/16" } }), 201);
        var before = await api.SnapshotAsync();

        var response = await api.PostJsonAsync("/v1/subnets", body.Replace("{pool}", (string)pool["id"]!, StringComparison.Ordinal));

        var problem = await ApiFixture.ValidationProblemAsync(response);
        Assert.Contains("nil UUID", (string?)problem["errors"]!["id"]![0], StringComparison.Ordinal);
        Assert.Equal(before, await api.SnapshotAsync());
        await IpamServer.ExpectProblemAsync(await api.Client.GetAsync($"/v1/subnets/{Guid.Empty}"), 404, "subnet-not-found");
        var free = (await api.GetJsonAsync($"/v1/subnet-pools/{(string)pool["id"]!}/available-prefixes"))["prefixes"]!.AsArray();
        Assert.Equal(["10.175.0.0/16"], free.Select(p => (string?)p));
    }

    [Fact]
    public async Task CreateWithId_NotAUuid_InvalidRequest()
    {
        await IpamServer.ExpectProblemAsync(await api.PostJsonAsync("/v1/subnets", """{"id": "not-a-uuid", "cidr": "10.173.0.0/24"}"""), 400, "invalid-request");
    }
}

public sealed class CallerChosenIdTestsOnSqlite(SqliteApiFixture api) : CallerChosenIdTests(api), IClassFixture<SqliteApiFixture>;

public sealed class CallerChosenIdTestsOnPostgres(PostgresApiFixture api) : CallerChosenIdTests(api), IClassFixture<PostgresApiFixture>;

public sealed class CallerChosenIdTestsOnThreeInstances(ThreeInstancesApiFixture api) : CallerChosenIdTests(api), IClassFixture<ThreeInstancesApiFixture>;
