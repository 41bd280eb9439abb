using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.SubnetPools;

/// <summary>Updating a subnet pool's prefixes and prefix-length bounds.</summary>
public abstract class UpdateSubnetPoolTests(ApiFixture api) : SubnetPoolTestBase(api)
{
    [Fact]
    public async Task Update_AddPrefixesAndLengths_MergedAndValidated()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.110.0.0/24" }, min_prefixlen = 24 });

        var updated = await IpamServer.ExpectAsync(await Api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new
        {
            name = "renamed",
            add_prefixes = new[] { "10.110.1.0/24" },
            min_prefixlen = 20,
            max_prefixlen = 28,
            default_prefixlen = 26,
            default_quota = 1024,
        }), 200);

        Assert.Equal("renamed", (string?)updated["name"]);
        Assert.Equal(["10.110.0.0/23"], Prefixes(updated));
        Assert.Equal((20, 28, 26), ((int)updated["min_prefixlen"]!, (int)updated["max_prefixlen"]!, (int)updated["default_prefixlen"]!));
        Assert.Equal(1024, (long)updated["default_quota"]!);
        Assert.Equal("10.110.0.0/26", (string?)(await FromPoolAsync(Id(pool)))["cidr"]);

        var replaced = await IpamServer.ExpectAsync(await Api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { prefixes = new[] { "10.110.0.0/23", "10.110.4.0/24" } }), 200);
        Assert.Equal(["10.110.0.0/23", "10.110.4.0/24"], Prefixes(replaced));
        var cleared = await IpamServer.ExpectAsync(await Api.PatchJsonAsync($"/v1/subnet-pools/{Id(pool)}", """{"default_quota":null}"""), 200);
        Assert.Null(cleared["default_quota"]);
    }

    [Fact]
    public async Task Update_InvalidBounds_400AndNothingChanged()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.111.0.0/24" }, min_prefixlen = 24 });

        // default_prefixlen stays 24, below the new minimum.
        await ValidationProblemAsync(await Api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { min_prefixlen = 26, add_prefixes = new[] { "10.111.1.0/24" } }));
        await ValidationProblemAsync(await Api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { max_prefixlen = 40 }));
        await ValidationProblemAsync(await Api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { add_prefixes = new[] { "2001:db8::/64" } }));
        await ValidationProblemAsync(await Api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { prefixes = Array.Empty<string>() }));
        await ValidationProblemAsync(await Api.PatchJsonAsync($"/v1/subnet-pools/{Id(pool)}", """{"name":null}"""));

        Assert.True(JsonNode.DeepEquals(pool, await Api.GetJsonAsync($"/v1/subnet-pools/{Id(pool)}")));
    }

    [Fact]
    public async Task Update_RemovingPrefixSpaceInUse_409InUse_UnusedSpaceCanGo()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.112.0.0/23", "10.113.0.0/24" }, min_prefixlen = 23, default_prefixlen = 24 });
        var subnet = await FromPoolAsync(Id(pool));
        Assert.Equal("10.113.0.0/24", (string?)subnet["cidr"]);

        var problem = await ProblemAsync(await Api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { remove_prefixes = new[] { "10.113.0.128/25" } }), 409, "in-use");
        Assert.Equal(1, (int)problem["references"]!["subnets"]!);
        Assert.Equal(["10.113.0.0/24"], problem["subnet_cidrs"]!.AsArray().Select(c => (string?)c));
        await ProblemAsync(await Api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { prefixes = new[] { "10.112.0.0/23" } }), 409, "in-use");

        // Every subnet in the way is counted and named, not only the first.
        var second = await IpamServer.ExpectAsync(await Api.PostAsync("/v1/subnets", new { subnet_pool_id = Id(pool), cidr = "10.112.0.0/25" }), 201);
        var third = await IpamServer.ExpectAsync(await Api.PostAsync("/v1/subnets", new { subnet_pool_id = Id(pool), cidr = "10.112.0.128/25" }), 201);
        var all = await ProblemAsync(await Api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { prefixes = new[] { "10.112.1.0/24" } }), 409, "in-use");
        Assert.Equal(3, (int)all["references"]!["subnets"]!);
        Assert.Equal(["10.112.0.0/25", "10.112.0.128/25", "10.113.0.0/24"], all["subnet_cidrs"]!.AsArray().Select(c => (string?)c));
        Assert.Contains("3 subnet(s)", (string?)all["detail"], StringComparison.Ordinal);
        foreach (var made in new[] { second, third })
        {
            AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{Id(made)}"), System.Net.HttpStatusCode.NoContent);
        }

        var shrunk = await IpamServer.ExpectAsync(await Api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { remove_prefixes = new[] { "10.112.1.0/24" } }), 200);
        Assert.Equal(["10.112.0.0/24", "10.113.0.0/24"], Prefixes(shrunk));
        Assert.Equal(["10.112.0.0/24"], await AvailableAsync(Id(pool)));
    }
}

public sealed class UpdateSubnetPoolTestsOnSqlite(SqliteApiFixture api) : UpdateSubnetPoolTests(api), IClassFixture<SqliteApiFixture>;

public sealed class UpdateSubnetPoolTestsOnPostgres(PostgresApiFixture api) : UpdateSubnetPoolTests(api), IClassFixture<PostgresApiFixture>;

public sealed class UpdateSubnetPoolTestsOnThreeInstances(ThreeInstancesApiFixture api) : UpdateSubnetPoolTests(api), IClassFixture<ThreeInstancesApiFixture>;
