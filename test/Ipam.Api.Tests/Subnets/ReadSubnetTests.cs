using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Subnets;

/// <summary>Listing subnets (filters, usage, pagination) and showing one.</summary>
public abstract class ReadSubnetTests(ApiFixture api)
{
    [Fact]
    public async Task List_TenantFilter_ReturnsOnlyThatTenantsSubnets()
    {
        var tenant = NewTenant();
        var other = NewTenant();
        var mine = new[]
        {
            Id(await api.CreateSubnetAsync(new { cidr = "10.10.0.0/24", tenant_id = tenant })),
            Id(await api.CreateSubnetAsync(new { cidr = "10.10.1.0/24", tenant_id = tenant })),
        };
        await api.CreateSubnetAsync(new { cidr = "10.10.2.0/24", tenant_id = other });

        var listed = await api.ListAllAsync($"/v1/subnets?tenant_id={tenant}");

        Assert.Equal(mine.Order(), listed.Select(Id).Order());
        Assert.All(listed, s => Assert.Equal(tenant, (string?)s["tenant_id"]));
    }

    [Fact]
    public async Task List_IpVersionFilter_ReturnsOnlyThatFamily()
    {
        var tenant = NewTenant();
        var v4 = new[]
        {
            Id(await api.CreateSubnetAsync(new { cidr = "10.11.0.0/24", tenant_id = tenant })),
            Id(await api.CreateSubnetAsync(new { cidr = "10.11.1.0/24", tenant_id = tenant })),
        };
        var v6 = Id(await api.CreateSubnetAsync(new { cidr = "2001:db8:11::/64", tenant_id = tenant }));

        var listed4 = await api.ListAllAsync($"/v1/subnets?tenant_id={tenant}&ip_version=4");
        var listed6 = await api.ListAllAsync($"/v1/subnets?tenant_id={tenant}&ip_version=6");

        Assert.Equal(v4.Order(), listed4.Select(Id).Order());
        Assert.All(listed4, s => Assert.Equal(4, (int)s["ip_version"]!));
        Assert.Equal([v6], listed6.Select(Id));
        Assert.All(listed6, s => Assert.Equal(6, (int)s["ip_version"]!));
    }

    [Fact]
    public async Task List_Items_IncludeUsage()
    {
        var tenant = NewTenant();
        var subnet = await api.CreateSubnetAsync(new { cidr = "10.12.0.0/28", tenant_id = tenant });
        await api.AllocateAsync(Id(subnet), new { count = 3 });

        var listed = Assert.Single(await api.ListAllAsync($"/v1/subnets?tenant_id={tenant}"));

        Assert.Equal("13", Usage(listed, "total"));
        Assert.Equal("3", Usage(listed, "allocated"));
        Assert.Equal("10", Usage(listed, "free"));
    }

    [Theory]
    [InlineData(5, 2)]
    [InlineData(4, 2)]
    [InlineData(3, 1)]
    [InlineData(3, 5)]
    public async Task List_Pagination_PagesDisjointCoverAllAndLastNextIsNull(int subnets, int limit)
    {
        var tenant = NewTenant();
        var created = new List<string>();
        for (var i = 0; i < subnets; i++)
        {
            created.Add(Id(await api.CreateSubnetAsync(new { cidr = $"10.13.{i}.0/24", tenant_id = tenant })));
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await api.GetJsonAsync($"/v1/subnets?tenant_id={tenant}&limit={limit}" + (cursor is null ? "" : $"&cursor={cursor}"));
            var items = page["items"]!.AsArray();
            Assert.InRange(items.Count, 1, limit);
            seen.AddRange(items.Select(s => Id(s!.AsObject())));
            cursor = (string?)page["next"];
            Assert.True(page.ContainsKey("next"));
            pages++;
            Assert.True(pages <= subnets, "pagination does not end");
        }
        while (cursor is not null);

        Assert.Equal((subnets + limit - 1) / limit, pages);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(created.Order(), seen.Order());
    }

    [Fact]
    public async Task List_NoMatches_EmptyItemsAndNullNext()
    {
        var page = await api.GetJsonAsync($"/v1/subnets?tenant_id={NewTenant()}");

        Assert.Empty(page["items"]!.AsArray());
        Assert.True(page.ContainsKey("next"));
        Assert.Null(page["next"]);
    }


    [Fact]
    public async Task Get_Existing_ReturnsSubnetWithCurrentUsage()
    {
        var subnet = await api.CreateSubnetAsync(new { cidr = "10.14.0.0/24", name = "shown" });
        var id = Id(subnet);
        await api.AllocateAsync(id, new { ip_address = "10.14.0.10" });
        await api.AllocateAsync(id, new { ip_address = "10.14.0.11" });

        var shown = await api.GetSubnetAsync(id);

        Assert.Equal(id, Id(shown));
        Assert.Equal("10.14.0.0/24", (string?)shown["cidr"]);
        Assert.Equal("shown", (string?)shown["name"]);
        Assert.Equal(PoolsOf(subnet), PoolsOf(shown));
        Assert.Equal("253", Usage(shown, "total"));
        Assert.Equal("2", Usage(shown, "allocated"));
        Assert.Equal("251", Usage(shown, "free"));
        Assert.Equal("0", Usage(shown, "outside_pools"));
    }

    [Fact]
    public async Task Get_UnknownId_Returns404SubnetNotFoundWithId()
    {
        var id = Guid.NewGuid().ToString();

        var problem = await ProblemAsync(await api.Client.GetAsync($"/v1/subnets/{id}"), 404, "subnet-not-found");

        Assert.Equal(id, (string?)problem["subnet_id"]);
    }
}

public sealed class ReadSubnetTestsOnSqlite(SqliteApiFixture api) : ReadSubnetTests(api), IClassFixture<SqliteApiFixture>;

public sealed class ReadSubnetTestsOnPostgres(PostgresApiFixture api) : ReadSubnetTests(api), IClassFixture<PostgresApiFixture>;

public sealed class ReadSubnetTestsOnThreeInstances(ThreeInstancesApiFixture api) : ReadSubnetTests(api), IClassFixture<ThreeInstancesApiFixture>;
