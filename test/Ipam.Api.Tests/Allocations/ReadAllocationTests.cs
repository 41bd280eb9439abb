using System.Globalization;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Allocations;

/// <summary>Owner and description, listing (order, owner filter, pagination) and showing allocations.</summary>
public abstract class ReadAllocationTests(ApiFixture api) : AllocationTestBase(api)
{
    [Fact]
    public async Task Allocate_OwnerAndDescription_RoundTrip()
    {
        var id = await SubnetAsync(new { cidr = "10.63.0.0/24" });
        var started = DateTimeOffset.UtcNow;

        var created = await Api.AllocateAsync(id, new { ip_address = "10.63.0.10", owner = "port-7f3a", description = "web frontend ✓" });

        Assert.Equal("port-7f3a", (string?)created["owner"]);
        Assert.Equal("web frontend ✓", (string?)created["description"]);
        var createdAt = (string)created["created_at"]!;
        Assert.EndsWith("Z", createdAt, StringComparison.Ordinal);
        var at = DateTimeOffset.Parse(createdAt, CultureInfo.InvariantCulture);
        Assert.InRange(at, started.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        var shown = await Api.GetJsonAsync($"/v1/subnets/{id}/allocations/10.63.0.10");
        Assert.True(JsonNode.DeepEquals(created, shown), $"{created.ToJsonString()} != {shown.ToJsonString()}");
        var listed = Assert.Single(await Api.AllocationsAsync(id));
        Assert.True(JsonNode.DeepEquals(created, listed), $"{created.ToJsonString()} != {listed.ToJsonString()}");
    }

    [Fact]
    public async Task List_OrderedByAddressNumerically()
    {
        var id = await SubnetAsync(new { cidr = "10.63.1.0/24" });
        foreach (var ip in new[] { "10.63.1.200", "10.63.1.3", "10.63.1.10", "10.63.1.100", "10.63.1.25", "10.63.1.9" })
        {
            await Api.AllocateAsync(id, new { ip_address = ip });
        }

        Assert.Equal(["10.63.1.3", "10.63.1.9", "10.63.1.10", "10.63.1.25", "10.63.1.100", "10.63.1.200"], await Api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task List_Ipv6_OrderedByAddressNumerically()
    {
        var id = await SubnetAsync(new { cidr = "2001:db8:63::/64" });
        foreach (var ip in new[] { "2001:db8:63::1:0", "2001:db8:63::a", "2001:db8:63::9", "2001:db8:63::10", "2001:db8:63:0:8000::" })
        {
            await Api.AllocateAsync(id, new { ip_address = ip });
        }

        Assert.Equal(["2001:db8:63::9", "2001:db8:63::a", "2001:db8:63::10", "2001:db8:63::1:0", "2001:db8:63:0:8000::"], await Api.AllocatedAddressesAsync(id));
    }

    [Fact]
    public async Task List_OwnerFilter_ReturnsOnlyThatOwnersAllocations()
    {
        var id = await SubnetAsync(new { cidr = "10.63.2.0/24" });
        await Api.AllocateAsync(id, new { ip_address = "10.63.2.30", owner = "alpha" });
        await Api.AllocateAsync(id, new { ip_address = "10.63.2.20", owner = "beta" });
        await Api.AllocateAsync(id, new { ip_address = "10.63.2.10", owner = "alpha" });
        await Api.AllocateAsync(id, new { ip_address = "10.63.2.40" });

        var alpha = await Api.ListAllAsync($"/v1/subnets/{id}/allocations?owner=alpha");
        var nobody = await Api.ListAllAsync($"/v1/subnets/{id}/allocations?owner=gamma");

        Assert.Equal(["10.63.2.10", "10.63.2.30"], alpha.Select(Ip));
        Assert.All(alpha, a => Assert.Equal("alpha", (string?)a["owner"]));
        Assert.Empty(nobody);
    }

    [Theory]
    [InlineData(7, 3)]
    [InlineData(6, 3)]
    [InlineData(4, 1)]
    [InlineData(2, 10)]
    public async Task List_Pagination_PagesDisjointCoverAllAndLastNextIsNull(int allocations, int limit)
    {
        var id = await SubnetAsync(new { cidr = "10.63.3.0/24" });
        var created = Items(await Api.AllocateAsync(id, new { count = allocations }));

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Api.GetJsonAsync($"/v1/subnets/{id}/allocations?limit={limit}" + (cursor is null ? "" : $"&cursor={cursor}"));
            var items = page["items"]!.AsArray();
            Assert.InRange(items.Count, 1, limit);
            seen.AddRange(items.Select(a => Ip(a!.AsObject())));
            Assert.True(page.ContainsKey("next"));
            cursor = (string?)page["next"];
            pages++;
            Assert.True(pages <= allocations, "pagination does not end");
        }
        while (cursor is not null);

        Assert.Equal((allocations + limit - 1) / limit, pages);
        Assert.Equal(created.OrderBy(V4), seen);
    }

    [Fact]
    public async Task List_EmptySubnet_EmptyItemsAndNullNext()
    {
        var id = await SubnetAsync(new { cidr = "10.63.4.0/24" });

        var page = await Api.GetJsonAsync($"/v1/subnets/{id}/allocations");

        Assert.Empty(page["items"]!.AsArray());
        Assert.True(page.ContainsKey("next"));
        Assert.Null(page["next"]);
    }

    [Fact]
    public async Task Get_NotAllocated_Returns404AllocationNotFound()
    {
        var id = await SubnetAsync(new { cidr = "10.63.5.0/24" });

        var problem = await ProblemAsync(await Api.Client.GetAsync($"/v1/subnets/{id}/allocations/10.63.5.77"), 404, "allocation-not-found");

        Assert.Equal(id, (string?)problem["subnet_id"]);
        Assert.Equal("10.63.5.77", (string?)problem["ip_address"]);
    }

    [Fact]
    public async Task ReadAndAllocate_UnknownSubnet_Return404SubnetNotFound()
    {
        var id = Guid.NewGuid().ToString();

        foreach (var response in new[]
        {
            await Api.Client.GetAsync($"/v1/subnets/{id}/allocations"),
            await Api.Client.GetAsync($"/v1/subnets/{id}/allocations/10.0.0.5"),
            await PostAllocationAsync(id, new { }),
            await PostAllocationAsync(id, new { ip_address = "10.0.0.5" }),
            await PostAllocationAsync(id, new { count = 2 }),
        })
        {
            var problem = await ProblemAsync(response, 404, "subnet-not-found");
            Assert.Equal(id, (string?)problem["subnet_id"]);
        }
    }
}

public sealed class ReadAllocationTestsOnSqlite(SqliteApiFixture api) : ReadAllocationTests(api), IClassFixture<SqliteApiFixture>;

public sealed class ReadAllocationTestsOnPostgres(PostgresApiFixture api) : ReadAllocationTests(api), IClassFixture<PostgresApiFixture>;

public sealed class ReadAllocationTestsOnThreeInstances(ThreeInstancesApiFixture api) : ReadAllocationTests(api), IClassFixture<ThreeInstancesApiFixture>;
