using System.Net;
using Ipam.Addressing;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.SubnetPools;

/// <summary><c>available-prefixes</c> in pages: <c>limit</c>, <c>cursor</c> (the last CIDR's start address) and <c>next</c>.</summary>
public abstract class AvailablePrefixPagesTests(ApiFixture api) : SubnetPoolTestBase(api)
{
    [Theory]
    [InlineData(4, 1)]
    [InlineData(6, 7)]
    [InlineData(4, 100)]
    [InlineData(6, 100)]
    public async Task AvailablePrefixes_RandomPoolsInPages_ConcatenateToTheWholeFreeList(int version, int seed)
    {
        var random = new Random(seed);
        var prefixes = version == 4
            ? new[] { $"10.{random.Next(200)}.0.0/20", $"10.{200 + random.Next(50)}.{random.Next(4) * 64}.0/18" }
            : [$"fd{random.Next(256):x2}:{random.Next(0x10000):x}:{random.Next(0x100):x}00::/56", $"fe{random.Next(64):x2}::/48"];
        var pool = await CreatePoolAsync(new { name = $"pages-{version}-{seed}", prefixes, min_prefixlen = version == 4 ? 18 : 48 });
        var subnets = new List<Cidr>();
        foreach (var prefix in prefixes.Select(Cidr.Parse))
        {
            for (var i = 0; i < 15; i++)
            {
                var hostBits = random.Next(version == 4 ? 6 : 20);
                var offset = (UInt128)random.NextInt64(1L << (prefix.HostBits > 62 ? 62 : prefix.HostBits)) >> hostBits << hostBits;
                var cidr = new Cidr(new IpAddress(prefix.Version, prefix.Network.Value + offset), (version == 4 ? 32 : 128) - hostBits);
                var response = await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = cidr.ToString() });
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    subnets.Add(cidr);
                }
                else
                {
                    await ProblemAsync(response, 409, "prefix-unavailable");
                }
            }
        }

        var poolSet = RangeSet.Of(prefixes[0].Contains(':') ? IpVersion.V6 : IpVersion.V4, prefixes.Select(p => Cidr.Parse(p).Range));
        List<string> whole = [.. poolSet.Except(RangeSet.Of(poolSet.Version, subnets.Select(s => s.Range))).ToCidrs().Select(c => c.ToString())];

        Assert.Equal(whole, await AvailableAsync(Id(pool), limit: 1000));
        Assert.Equal(whole, await AvailableAsync(Id(pool), limit: (version == 4 ? 1 : 7) + random.Next(40)));
    }

    [Fact]
    public async Task AvailablePrefixes_NoLimitNorCursor_TheWholeFreeSpaceAndNoNext()
    {
        var pool = await CreatePoolAsync(new { name = "default-page", prefixes = new[] { "10.60.0.0/16" }, min_prefixlen = 16 });
        for (var i = 0; i < 60; i++)
        {
            await IpamServer.ExpectAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = $"10.60.{i * 4}.0/32" }), 201);
        }

        var whole = await Api.GetJsonAsync($"/v1/subnet-pools/{Id(pool)}/available-prefixes");
        var first = await Api.GetJsonAsync($"/v1/subnet-pools/{Id(pool)}/available-prefixes?limit=100");

        var prefixes = whole["prefixes"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.True(prefixes.Count > 100);
        Assert.Equal(await AvailableAsync(Id(pool)), prefixes);
        Assert.Null(whole["next"]);
        var page = first["prefixes"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.Equal(prefixes.Take(100), page);
        Assert.Equal(Cidr.Parse(page[^1]).Network.ToString(), (string?)first["next"]);
    }

    [Fact]
    public async Task AvailablePrefixes_SmallPageAfterARunOfAdjacentSubnets_ReadsPastThemAll()
    {
        var pool = await CreatePoolAsync(new { name = "run", prefixes = new[] { "10.63.0.0/22" }, min_prefixlen = 22 });
        for (var i = 0; i < 10; i++)
        {
            await IpamServer.ExpectAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = $"10.63.0.{i * 16}/28" }), 201);
        }

        await IpamServer.ExpectAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "10.63.1.0/24" }), 201);

        var first = await Api.GetJsonAsync($"/v1/subnet-pools/{Id(pool)}/available-prefixes?limit=1");
        var second = await Api.GetJsonAsync($"/v1/subnet-pools/{Id(pool)}/available-prefixes?limit=1&cursor={(string?)first["next"]}");

        Assert.Equal(["10.63.0.160/27"], first["prefixes"]!.AsArray().Select(p => (string)p!));
        Assert.Equal("10.63.0.160", (string?)first["next"]);
        Assert.Equal(["10.63.0.192/26"], second["prefixes"]!.AsArray().Select(p => (string)p!));
        Assert.Equal(["10.63.0.160/27", "10.63.0.192/26", "10.63.2.0/23"], await AvailableAsync(Id(pool), limit: 1));
    }

    [Fact]
    public async Task AvailablePrefixes_LastPage_NextIsNull()
    {
        var pool = await CreatePoolAsync(new { name = "one-page", prefixes = new[] { "10.61.0.0/24" }, min_prefixlen = 24 });
        await IpamServer.ExpectAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "10.61.0.0/26" }), 201);

        var page = await Api.GetJsonAsync($"/v1/subnet-pools/{Id(pool)}/available-prefixes?limit=2");

        Assert.Equal(["10.61.0.64/26", "10.61.0.128/25"], page["prefixes"]!.AsArray().Select(p => (string)p!));
        Assert.Null(page["next"]);
        var after = await Api.GetJsonAsync($"/v1/subnet-pools/{Id(pool)}/available-prefixes?cursor=10.61.0.128");
        Assert.Empty(after["prefixes"]!.AsArray());
        Assert.Null(after["next"]);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=many", "limit")]
    [InlineData("cursor=nope", "cursor")]
    [InlineData("cursor=10.62.0.0/24", "cursor")]
    [InlineData("cursor=2001:db8::", "cursor")]
    public async Task AvailablePrefixes_BadLimitOrCursor_Returns400NamingIt(string query, string field)
    {
        var pool = await CreatePoolAsync(new { name = "bad-query", prefixes = new[] { "10.62.0.0/16" } });

        var problem = await ValidationProblemAsync(await Api.Client.GetAsync($"/v1/subnet-pools/{Id(pool)}/available-prefixes?{query}"));

        Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task AvailablePrefixes_Ipv4CursorOnIpv6Pool_Returns400SayingTheFamilies()
    {
        var pool = await CreatePoolAsync(new { name = "v6-cursor", prefixes = new[] { "fd63::/48" } });

        var problem = await ValidationProblemAsync(await Api.Client.GetAsync($"/v1/subnet-pools/{Id(pool)}/available-prefixes?cursor=10.0.0.1"));

        var message = (string?)problem["errors"]!["cursor"]![0];
        Assert.Contains("IPv4", message, StringComparison.Ordinal);
        Assert.Contains("IPv6", message, StringComparison.Ordinal);
    }
}

public sealed class AvailablePrefixPagesTestsOnSqlite(SqliteApiFixture api) : AvailablePrefixPagesTests(api), IClassFixture<SqliteApiFixture>;

public sealed class AvailablePrefixPagesTestsOnPostgres(PostgresApiFixture api) : AvailablePrefixPagesTests(api), IClassFixture<PostgresApiFixture>;

public sealed class AvailablePrefixPagesTestsOnThreeInstances(ThreeInstancesApiFixture api) : AvailablePrefixPagesTests(api), IClassFixture<ThreeInstancesApiFixture>;
