using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.SubnetPools;

/// <summary>Creating, showing and listing subnet pools: Neutron's prefix-length defaults and validation.</summary>
public abstract class CreateSubnetPoolTests(ApiFixture api) : SubnetPoolTestBase(api)
{
    [Fact]
    public async Task Create_MinOnly_DefaultsDerivedLikeNeutron()
    {
        var response = await Api.PostAsync("/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.10.0.0/16", "192.168.1.0/24" }, min_prefixlen = 21 });
        var pool = await IpamServer.ExpectAsync(response, 201);

        Assert.Equal(4, (int)pool["ip_version"]!);
        Assert.Equal(["10.10.0.0/16", "192.168.1.0/24"], Prefixes(pool));
        Assert.Equal(21, (int)pool["min_prefixlen"]!);
        Assert.Equal(21, (int)pool["default_prefixlen"]!);
        Assert.Equal(32, (int)pool["max_prefixlen"]!);
        Assert.Null(pool["default_quota"]);
        Assert.Null(pool["address_scope_id"]);
        Assert.Equal($"/v1/subnet-pools/{Id(pool)}", response.Headers.Location?.OriginalString);
        Assert.True(JsonNode.DeepEquals(pool, await Api.GetJsonAsync($"/v1/subnet-pools/{Id(pool)}")));
    }

    [Theory]
    [InlineData("10.0.0.0/8", 4, 8, 32, 8)]
    [InlineData("2001:db8::/32", 6, 64, 128, 64)]
    public async Task Create_NothingButPrefixes_FamilyDefaults(string prefix, int version, int min, int max, int @default)
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { prefix } });

        Assert.Equal(version, (int)pool["ip_version"]!);
        Assert.Equal((min, max, @default), ((int)pool["min_prefixlen"]!, (int)pool["max_prefixlen"]!, (int)pool["default_prefixlen"]!));
    }

    [Fact]
    public async Task Create_OverlappingAndAdjacentPrefixes_StoredMerged()
    {
        var pool = await CreatePoolAsync(new
        {
            name = "merged",
            prefixes = new[] { "10.1.1.0/24", "10.1.0.0/24", "10.1.0.128/25", "10.1.3.0/24", "10.1.2.0/25" },
        });

        Assert.Equal(["10.1.0.0/23", "10.1.2.0/25", "10.1.3.0/24"], Prefixes(pool));
    }

    [Fact]
    public async Task Create_EveryRuleBroken_400ListsEachField()
    {
        var response = await Api.PostAsync("/v1/subnet-pools", new { prefixes = new[] { "10.0.0.0/16" }, min_prefixlen = 24, max_prefixlen = 20, default_quota = -1 });

        var problem = await ValidationProblemAsync(response);
        var errors = problem["errors"]!.AsObject();
        Assert.Contains("name", errors.Select(e => e.Key));
        Assert.Contains("min_prefixlen", errors.Select(e => e.Key));
        Assert.Contains("default_quota", errors.Select(e => e.Key));
    }

    [Theory]
    [InlineData("""{"name":"p","prefixes":["10.0.0.0/8","2001:db8::/32"]}""", "prefixes")]
    [InlineData("""{"name":"p","prefixes":[]}""", "prefixes")]
    [InlineData("""{"name":"p"}""", "prefixes")]
    [InlineData("""{"name":"p","prefixes":["10.0.0.5/24"]}""", "prefixes[0]")]
    [InlineData("""{"name":"p","prefixes":["10.0.0.0/24","bogus"]}""", "prefixes[1]")]
    [InlineData("""{"name":"p","prefixes":["10.0.0.0/24",null]}""", "prefixes[1]")]
    [InlineData("""{"name":"p","prefixes":["10.0.0.0/24"],"default_prefixlen":20,"min_prefixlen":21}""", "default_prefixlen")]
    [InlineData("""{"name":"p","prefixes":["10.0.0.0/24"],"max_prefixlen":33}""", "max_prefixlen")]
    [InlineData("""{"name":"p","prefixes":["10.0.0.0/24"],"min_prefixlen":-1}""", "min_prefixlen")]
    [InlineData("""{"name":"p","prefixes":["2001:db8::/32"],"max_prefixlen":48}""", "max_prefixlen")]
    [InlineData("""{"name":"p","prefixes":["2001:db8::/32"],"max_prefixlen":48,"min_prefixlen":56}""", "min_prefixlen")]
    [InlineData("""{"name":"","prefixes":["10.0.0.0/24"]}""", "name")]
    public async Task Create_Invalid_400NamesTheField(string body, string field)
    {
        var problem = await ValidationProblemAsync(await Api.PostJsonAsync("/v1/subnet-pools", body));

        Assert.Contains(field, problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Create_Ipv6MaxBelowTheDefaultMin_400NamesMaxAndTheDefault()
    {
        var problem = await ValidationProblemAsync(await Api.PostJsonAsync("/v1/subnet-pools", """{"name":"p","prefixes":["2001:db8::/32"],"max_prefixlen":56}"""));

        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["max_prefixlen"], errors.Select(e => e.Key));
        var message = (string?)errors["max_prefixlen"]![0];
        Assert.Contains("default min_prefixlen 64", message, StringComparison.Ordinal);
        Assert.Contains("set min_prefixlen", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownAddressScope_404()
    {
        var scope = Guid.NewGuid();
        var problem = await ProblemAsync(
            await Api.PostAsync("/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.0.0.0/24" }, address_scope_id = scope }), 404, "address-scope-not-found");

        Assert.Equal(scope.ToString(), (string?)problem["address_scope_id"]);
    }


    [Fact]
    public async Task Get_Unknown_404WithPoolId()
    {
        var id = Guid.NewGuid();
        var problem = await ProblemAsync(await Api.Client.GetAsync($"/v1/subnet-pools/{id}"), 404, "subnet-pool-not-found");

        Assert.Equal(id.ToString(), (string?)problem["subnet_pool_id"]);
        await ProblemAsync(await Api.Client.GetAsync($"/v1/subnet-pools/{id}/available-prefixes"), 404, "subnet-pool-not-found");
    }

    [Fact]
    public async Task List_Paged_ReturnsEveryPoolOnce()
    {
        var tenant = NewTenant();
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(Id(await CreatePoolAsync(new { name = $"p{i}", prefixes = new[] { $"172.16.{i}.0/24" }, tenant_id = tenant })));
        }

        var listed = await Api.ListAllAsync($"/v1/subnet-pools?tenant_id={tenant}", limit: 2);

        // Lists are ordered by id; ids made within one millisecond need not sort in creation order.
        Assert.Equal(created.Order(StringComparer.Ordinal), listed.Select(Id));
    }
}

public sealed class CreateSubnetPoolTestsOnSqlite(SqliteApiFixture api) : CreateSubnetPoolTests(api), IClassFixture<SqliteApiFixture>;

public sealed class CreateSubnetPoolTestsOnPostgres(PostgresApiFixture api) : CreateSubnetPoolTests(api), IClassFixture<PostgresApiFixture>;

public sealed class CreateSubnetPoolTestsOnThreeInstances(ThreeInstancesApiFixture api) : CreateSubnetPoolTests(api), IClassFixture<ThreeInstancesApiFixture>;
