using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Problems;

/// <summary>
/// A list of an imported plan given as <c>null</c> reads as one left out, as the lists of other bodies do; a <c>null</c>
/// where an item belongs refuses the whole import, named after its place.
/// </summary>
public abstract class ImportNullTests(ApiFixture api) : ImportRefusalTestBase(api)
{
    public static TheoryData<string, string> NullItems => new()
    {
        { """ "address_scopes": [null] """, "address_scopes[0]" },
        { """ "subnet_pools": [null] """, "subnet_pools[0]" },
        { """ "subnets": [null] """, "subnets[0]" },
        { """ "allocations": [null] """, "allocations[0]" },
        { $""" "subnets": [{NewSubnet("10.72.0.0/24")}, null] """, "subnets[1]" },
        { $""" "subnets": [{NewSubnet("10.72.1.0/24")}], "allocations": [null] """, "allocations[0]" },
        {
            """ "subnets": [{"id": "f0f0f0f0-0000-4000-8000-0000000000aa", "cidr": "10.9.9.0/24", "allocation_pools": [null]}] """,
            "subnets[0].allocation_pools[0]"
        },
        {
            """ "subnets": [{"id": "f0f0f0f0-0000-4000-8000-0000000000ab", "cidr": "10.9.9.0/24", "gateway_ip": null, "allocation_pools": [{"start": "10.9.9.1", "end": "10.9.9.9"}, null]}] """,
            "subnets[0].allocation_pools[1]"
        },
        {
            """ "subnet_pools": [{"id": "f0f0f0f0-0000-4000-8000-0000000000ac", "name": "p", "prefixes": [null]}] """,
            "subnet_pools[0].prefixes[0]"
        },
        {
            """ "subnet_pools": [{"id": "f0f0f0f0-0000-4000-8000-0000000000ad", "name": "p", "prefixes": ["10.9.0.0/16", null]}] """,
            "subnet_pools[0].prefixes[1]"
        },
    };

    [Theory]
    [MemberData(nameof(NullItems))]
    public async Task Import_NullItem_RefusedNamingItsPlaceAndChangesNothing(string lists, string field)
    {
        var problem = await ImportRejectedAsync($"{{{Format}, {lists}}}");

        Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Theory]
    [InlineData("address_scopes")]
    [InlineData("subnet_pools")]
    [InlineData("subnets")]
    [InlineData("allocations")]
    public async Task Import_NullList_ReadAsLeftOut(string list)
    {
        var id = Guid.NewGuid().ToString();
        var subnets = list == "subnets" ? "" : $$""", "subnets": [{"id": "{{id}}", "cidr": "10.72.2.0/24", "gateway_ip": null}]""";

        var counts = await IpamServer.ExpectAsync(await Api.PostJsonAsync("/v1/import", $$"""{{{Format}}, "{{list}}": null{{subnets}}}"""), 200);

        Assert.Equal(0, (int)counts[list]!);
        if (list != "subnets")
        {
            Assert.Equal(1, (int)counts["subnets"]!);
            Assert.Equal("10.72.2.0/24", (string?)(await Api.GetSubnetAsync(id))["cidr"]);
        }
    }

    [Fact]
    public async Task Import_AllocationPoolsNull_DefaultPoolsAsWhenLeftOut()
    {
        var id = Guid.NewGuid().ToString();
        var plan = $$"""{{{Format}}, "subnets": [{"id": "{{id}}", "cidr": "10.72.3.0/24", "gateway_ip": null, "allocation_pools": null}]}""";

        await IpamServer.ExpectAsync(await Api.PostJsonAsync("/v1/import", plan), 200);

        var pools = (await Api.GetSubnetAsync(id))["allocation_pools"]!.AsArray();
        Assert.Equal("""[{"start":"10.72.3.1","end":"10.72.3.254"}]""", pools.ToJsonString());
    }
}

public sealed class ImportNullTestsOnSqlite(SqliteApiFixture api) : ImportNullTests(api), IClassFixture<SqliteApiFixture>;

public sealed class ImportNullTestsOnPostgres(PostgresApiFixture api) : ImportNullTests(api), IClassFixture<PostgresApiFixture>;
