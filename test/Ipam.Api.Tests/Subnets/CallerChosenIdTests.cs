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

    [Fact]
    public async Task CreateWithId_NotAUuid_InvalidRequest()
    {
        await IpamServer.ExpectProblemAsync(await api.PostJsonAsync("/v1/subnets", """{"id": "not-a-uuid", "cidr": "10.173.0.0/24"}"""), 400, "invalid-request");
    }
}

public sealed class CallerChosenIdTestsOnSqlite(SqliteApiFixture api) : CallerChosenIdTests(api), IClassFixture<SqliteApiFixture>;

public sealed class CallerChosenIdTestsOnPostgres(PostgresApiFixture api) : CallerChosenIdTests(api), IClassFixture<PostgresApiFixture>;
