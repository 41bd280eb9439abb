using System.Text.Json.Nodes;
using Ipam.Addressing;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Storage;
using Ipam.SubnetPools;
using Microsoft.Extensions.DependencyInjection;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.SubnetPools;

/// <summary>
/// An import that brings back many subnets of one pool moves the importing instance's index of the pool along with
/// each subnet, in place, rather than building it again for each one; the other instances see a new generation.
/// </summary>
public abstract class ImportIntoPoolTests(ApiFixture api) : SubnetPoolTestBase(api)
{
    private const int Restored = 24;

    [Fact]
    public async Task Import_OfManySubnetsOfAPool_KeepsTheImportingInstancesIndex()
    {
        var pool = await CreatePoolAsync(new { name = "restore", prefixes = new[] { "10.164.0.0/16" }, default_prefixlen = 24 });
        var poolId = Guid.Parse(Id(pool));
        await FromPoolAsync(Id(pool));
        foreach (var instance in Api.Server.InstanceServices)
        {
            await BuildIndexAsync(instance, poolId);
        }

        var before = await IndexesAsync(poolId);
        Assert.All(before, Assert.NotNull);

        var document = new JsonObject
        {
            ["format"] = "ipam-export",
            ["version"] = 1,
            ["subnets"] = new JsonArray([.. Enumerable.Range(0, Restored).Select(i => (JsonNode)new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["cidr"] = $"10.164.{100 + i}.0/24",
                ["gateway_ip"] = null,
                ["subnet_pool_id"] = poolId.ToString(),
            })]),
        };
        await IpamServer.ExpectAsync(await Api.PostJsonAsync("/v1/import", document.ToJsonString()), 200);

        var after = await IndexesAsync(poolId);
        var kept = before.Zip(after).Count(pair => ReferenceEquals(pair.First, pair.Second));
        Assert.Equal(1, kept);
        var index = after.Single(a => a is not null && before.Contains(a))!;
        lock (index.Gate)
        {
            Assert.All(Enumerable.Range(0, Restored), i => Assert.False(index.Index.IsFree(Cidr.Parse($"10.164.{100 + i}.0/24"))));
        }
    }

    private static Task BuildIndexAsync(IServiceProvider instance, Guid poolId) =>
        instance.GetRequiredService<IIpamStore>().ReadAsync(async (session, ct) =>
        {
            var pool = (await session.FindSubnetPoolAsync(poolId, RowLock.None, ct).ConfigureAwait(false))!;
            return await instance.GetRequiredService<PrefixIndexCache>().GetAsync(session, pool, ct).ConfigureAwait(false);
        });

    /// <summary>Each instance's index of the pool for the pool's current generation, or null where it has none.</summary>
    private async Task<List<PrefixSpace?>> IndexesAsync(Guid poolId)
    {
        var generation = await Api.Server.Services.GetRequiredService<IIpamStore>().ReadAsync(async (session, ct) =>
            (await session.FindSubnetPoolAsync(poolId, RowLock.None, ct).ConfigureAwait(false))!.Generation);
        return [.. Api.Server.InstanceServices.Select(services => services.GetRequiredService<PrefixIndexCache>().Cached(poolId, generation))];
    }
}

public sealed class ImportIntoPoolTestsOnSqlite(SqliteApiFixture api) : ImportIntoPoolTests(api), IClassFixture<SqliteApiFixture>;

public sealed class ImportIntoPoolTestsOnPostgres(PostgresApiFixture api) : ImportIntoPoolTests(api), IClassFixture<PostgresApiFixture>;

public sealed class ImportIntoPoolTestsOnThreeInstances(ThreeInstancesApiFixture api) : ImportIntoPoolTests(api), IClassFixture<ThreeInstancesApiFixture>;
