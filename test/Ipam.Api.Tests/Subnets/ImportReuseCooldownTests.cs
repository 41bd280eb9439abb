using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Subnets;

/// <summary>An imported subnet's <c>reuse_cooldown_seconds</c> reads as on create and PATCH: <c>null</c> is no cooldown.</summary>
public abstract class ImportReuseCooldownTests(ApiFixture api)
{
    [Theory]
    [InlineData(null, 0)]
    [InlineData(30, 30)]
    public async Task Import_ReuseCooldownNullOrGiven_ImportedAsCreateWouldTakeIt(int? given, int expected)
    {
        var id = Guid.NewGuid().ToString();
        var plan = new JsonObject
        {
            ["format"] = "ipam-export",
            ["version"] = 1,
            ["subnets"] = new JsonArray(new JsonObject
            {
                ["id"] = id, ["cidr"] = "10.71.0.0/24", ["gateway_ip"] = null, ["allocation_pools"] = null, ["reuse_cooldown_seconds"] = given,
            }),
        };

        await IpamServer.ExpectAsync(await api.PostJsonAsync("/v1/import", plan.ToJsonString()), 200);

        Assert.Equal(expected, (int)(await api.GetSubnetAsync(id))["reuse_cooldown_seconds"]!);
    }
}

public sealed class ImportReuseCooldownTestsOnSqlite(SqliteApiFixture api) : ImportReuseCooldownTests(api), IClassFixture<SqliteApiFixture>;

public sealed class ImportReuseCooldownTestsOnPostgres(PostgresApiFixture api) : ImportReuseCooldownTests(api), IClassFixture<PostgresApiFixture>;
