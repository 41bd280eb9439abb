using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Problems;

/// <summary>
/// An imported address plan meets the free-text rule of every other request: a name, owner, description or tenant id
/// that is too long or holds a control or bidi character refuses the whole import, named after its item.
/// </summary>
public abstract class ImportTextLimitTests(ApiFixture api) : BadInputTestBase(api)
{
    public static TheoryData<string, string> Fields => new()
    {
        { "address_scopes", "name" },
        { "address_scopes", "tenant_id" },
        { "subnet_pools", "name" },
        { "subnet_pools", "tenant_id" },
        { "subnets", "name" },
        { "subnets", "tenant_id" },
        { "allocations", "owner" },
        { "allocations", "description" },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task Import_UnsafeOrTooLongText_RefusedNamingTheItemAndChangesNothing(string section, string field)
    {
        foreach (var value in new[] { "\u001b[2Jwiped", "a\0b", "\u202eevil", "line\nbreak", "rlm\u200f", "\ufeffbom", new string('x', 256) })
        {
            var plan = Plan();
            plan[section]![0]![field] = value;
            var scopesBefore = await Api.ListAllAsync("/v1/address-scopes");
            var poolsBefore = await Api.ListAllAsync("/v1/subnet-pools");

            var problem = await RejectedAsync(() => Api.PostJsonAsync("/v1/import", plan.ToJsonString()));

            Assert.True(problem["errors"]!.AsObject().ContainsKey($"{section}[0].{field}"), $"{section} {field}: {problem.ToJsonString()}");
            Assert.Equal(scopesBefore.Select(s => s.ToJsonString()), (await Api.ListAllAsync("/v1/address-scopes")).Select(s => s.ToJsonString()));
            Assert.Equal(poolsBefore.Select(p => p.ToJsonString()), (await Api.ListAllAsync("/v1/subnet-pools")).Select(p => p.ToJsonString()));
        }
    }

    [Theory]
    [InlineData("address_scopes")]
    [InlineData("subnet_pools")]
    [InlineData("subnets")]
    public async Task Import_LookalikeTenantId_RefusedNamingTheItemAndChangesNothing(string section)
    {
        foreach (var value in TextFieldLimitTests.LookalikeTenants)
        {
            var plan = Plan();
            plan[section]![0]!["tenant_id"] = value;
            var scopesBefore = await Api.ListAllAsync("/v1/address-scopes");

            var problem = await RejectedAsync(() => Api.PostJsonAsync("/v1/import", plan.ToJsonString()));

            // The white-space rule, not the refusal of an item placed in another tenant's scope or pool.
            var messages = problem["errors"]![$"{section}[0].tenant_id"]?.AsArray().Select(m => (string?)m) ?? [];
            Assert.Contains(messages, m => m!.Contains("must not begin or end with white space", StringComparison.Ordinal));
            Assert.Equal(scopesBefore.Select(s => s.ToJsonString()), (await Api.ListAllAsync("/v1/address-scopes")).Select(s => s.ToJsonString()));
        }
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task Import_LongestAndNonAsciiText_Imported(string section, string field)
    {
        // 255 characters, each two UTF-16 code units: the limit counts characters.
        var value = string.Concat(Enumerable.Repeat("\U0001F600", 255));
        var plan = Plan();
        plan[section]![0]![field] = value;
        if (field == "tenant_id")
        {
            // The plan's scope, pool and subnet are one tenant's: a private pool or scope takes only its own tenant's.
            foreach (var tenanted in new[] { "address_scopes", "subnet_pools", "subnets" })
            {
                plan[tenanted]![0]![field] = value;
            }
        }

        await IpamServer.ExpectAsync(await Api.PostJsonAsync("/v1/import", plan.ToJsonString()), 200);

        var id = section == "allocations" ? (string)plan["subnets"]![0]!["id"]! : (string)plan[section]![0]!["id"]!;
        var item = section switch
        {
            "allocations" => (await Api.AllocationsAsync(id)).Single(),
            "address_scopes" => await Api.GetJsonAsync($"/v1/address-scopes/{id}"),
            "subnet_pools" => await Api.GetJsonAsync($"/v1/subnet-pools/{id}"),
            _ => await Api.GetSubnetAsync(id),
        };
        Assert.Equal(value, (string?)item[field]);
    }

    [Theory]
    [InlineData("address_scopes", "subnet_pools", "address_scope_id")]
    [InlineData("subnet_pools", "subnets", "subnet_pool_id")]
    [InlineData("subnets", "allocations", "subnet_id")]
    public async Task Import_NilUuidId_RefusedNamingTheItemAndChangesNothing(string section, string referencing, string reference)
    {
        var plan = Plan();
        plan[section]![0]!["id"] = Guid.Empty.ToString();
        plan[referencing]![0]![reference] = Guid.Empty.ToString();
        var scopesBefore = await Api.ListAllAsync("/v1/address-scopes");
        var poolsBefore = await Api.ListAllAsync("/v1/subnet-pools");

        var problem = await RejectedAsync(() => Api.PostJsonAsync("/v1/import", plan.ToJsonString()));

        Assert.True(problem["errors"]!.AsObject().ContainsKey($"{section}[0].id"), problem.ToJsonString());
        Assert.Equal(scopesBefore.Select(s => s.ToJsonString()), (await Api.ListAllAsync("/v1/address-scopes")).Select(s => s.ToJsonString()));
        Assert.Equal(poolsBefore.Select(p => p.ToJsonString()), (await Api.ListAllAsync("/v1/subnet-pools")).Select(p => p.ToJsonString()));
    }

    [Fact]
    public async Task Import_PoolPrefixNotACidr_SaysSoOnceNamingThePrefixes()
    {
        var plan = Plan();
        plan["subnet_pools"]![0]!["prefixes"] = new JsonArray("999.0.0.0/8");

        var problem = await RejectedAsync(() => Api.PostJsonAsync("/v1/import", plan.ToJsonString()));

        var message = (string)problem["errors"]!["subnet_pools[0].prefixes[0]"]![0]!;
        Assert.Equal("subnet_pools[0]: '999.0.0.0/8' is not a CIDR: '999.0.0.0' is not an IP address.", message);
    }

    /// <summary>A valid plan of one scope, one pool in it, one subnet from the pool and one allocation, all with new ids.</summary>
    private static JsonObject Plan()
    {
        string scope = Guid.NewGuid().ToString(), pool = Guid.NewGuid().ToString(), subnet = Guid.NewGuid().ToString();
        var block = Random.Shared.Next(0, 256);
        return new JsonObject
        {
            ["format"] = "ipam-export",
            ["version"] = 1,
            ["address_scopes"] = new JsonArray(new JsonObject { ["id"] = scope, ["name"] = "scope", ["ip_version"] = 4, ["tenant_id"] = "t" }),
            ["subnet_pools"] = new JsonArray(new JsonObject
            {
                ["id"] = pool, ["name"] = "pool", ["prefixes"] = new JsonArray($"10.{block}.0.0/16"), ["address_scope_id"] = scope, ["tenant_id"] = "t",
            }),
            ["subnets"] = new JsonArray(new JsonObject
            {
                ["id"] = subnet, ["cidr"] = $"10.{block}.0.0/24", ["name"] = "subnet", ["gateway_ip"] = $"10.{block}.0.1",
                ["allocation_pools"] = new JsonArray(new JsonObject { ["start"] = $"10.{block}.0.2", ["end"] = $"10.{block}.0.254" }),
                ["subnet_pool_id"] = pool, ["tenant_id"] = "t",
            }),
            ["allocations"] = new JsonArray(new JsonObject { ["subnet_id"] = subnet, ["ip_address"] = $"10.{block}.0.9", ["owner"] = "o", ["description"] = "d" }),
        };
    }
}

public sealed class ImportTextLimitTestsOnSqlite(SqliteApiFixture api) : ImportTextLimitTests(api), IClassFixture<SqliteApiFixture>;

public sealed class ImportTextLimitTestsOnPostgres(PostgresApiFixture api) : ImportTextLimitTests(api), IClassFixture<PostgresApiFixture>;
