using System.Net;
using Ipam.Addressing;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.SubnetPools;

/// <summary><c>available-prefixes</c>: the pool's free space as a minimal CIDR list.</summary>
public abstract class AvailablePrefixesTests(ApiFixture api) : SubnetPoolTestBase(api)
{
    [Fact]
    public async Task AvailablePrefixes_Ipv4_MinimalCidrList()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.100.0.0/16", "10.200.0.0/24" }, min_prefixlen = 16 });
        foreach (var cidr in new[] { "10.100.0.0/24", "10.100.2.0/23", "10.200.0.128/26" })
        {
            await IpamServer.ExpectAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr }), 201);
        }

        var available = await AvailableAsync(Id(pool));

        Assert.Equal(
        [
            "10.100.1.0/24", "10.100.4.0/22", "10.100.8.0/21", "10.100.16.0/20", "10.100.32.0/19", "10.100.64.0/18", "10.100.128.0/17",
            "10.200.0.0/25", "10.200.0.192/26",
        ], available);
    }

    [Fact]
    public async Task AvailablePrefixes_Ipv6Slash32WithScatteredSlash64s_ExactFreeSpace()
    {
        var pool = await CreatePoolAsync(new { name = "v6", prefixes = new[] { "2001:db8::/32" } });
        var random = new Random(42);
        var taken = new HashSet<string> { "2001:db8::/64", "2001:db8:ffff:ffff::/64" };
        while (taken.Count < 40)
        {
            taken.Add($"2001:db8:{random.Next(0x10000):x}:{random.Next(0x10000):x}::/64");
        }

        foreach (var cidr in taken)
        {
            await IpamServer.ExpectAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr }), 201);
        }

        var available = (await AvailableAsync(Id(pool))).Select(Cidr.Parse).ToList();

        // Ascending, disjoint, and together with the allocated /64s exactly the /32.
        var pieces = available.Concat(taken.Select(Cidr.Parse)).OrderBy(c => c.Network).ToList();
        for (var i = 1; i < pieces.Count; i++)
        {
            Assert.True(pieces[i - 1].Last.Value < pieces[i].First.Value, $"{pieces[i - 1]} overlaps {pieces[i]}");
        }

        var covered = pieces.Aggregate(UInt128.Zero, (sum, c) => sum + c.Range.Count);

        Assert.Equal(Cidr.Parse("2001:db8::/32").Range.Count, covered);
        Assert.Equal(pieces[0].First, Cidr.Parse("2001:db8::/32").First);
        Assert.Equal(pieces[^1].Last, Cidr.Parse("2001:db8::/32").Last);
        Assert.Equal(available.OrderBy(c => c.Network), available);

        // Minimal: no available block's buddy is available too (they would have been one CIDR).
        var set = available.ToHashSet();
        Assert.All(available, c => Assert.DoesNotContain(Buddy(c), set));
        Assert.Equal("2001:db8:0:1::/64", available[0].ToString());
        Assert.Equal("2001:db8:ffff:fffe::/64", available[^1].ToString());

        // The next automatic /64 fills the first hole.
        Assert.Equal("2001:db8:0:1::/64", (string?)(await FromPoolAsync(Id(pool)))["cidr"]);
    }

    [Fact]
    public async Task AvailablePrefixes_AfterRandomAllocationsAndReleases_TileThePoolExactly()
    {
        var prefixes = new[] { "10.150.0.0/22", "10.150.8.0/23", "10.150.11.0/24" };
        var pool = await CreatePoolAsync(new { name = "walk", prefixes, min_prefixlen = 22, max_prefixlen = 30, default_prefixlen = 26 });
        var poolSet = prefixes.Select(Cidr.Parse).ToList();
        var held = new List<(string Id, Cidr Cidr)>();
        var random = new Random(7);
        for (var step = 0; step < 80; step++)
        {
            if (held.Count > 0 && random.Next(3) == 0)
            {
                var victim = held[random.Next(held.Count)];
                held.Remove(victim);
                AssertStatus(await Api.Client.DeleteAsync($"/v1/subnets/{victim.Id}"), HttpStatusCode.NoContent);
            }
            else
            {
                object body = random.Next(4) == 0
                    ? new { subnet_pool_id = Id(pool), cidr = $"10.150.{random.Next(12)}.{random.Next(8) * 32}/27" }
                    : new { subnet_pool_id = Id(pool), prefixlen = 22 + random.Next(9) };
                var response = await PostFromPoolAsync(body);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var subnet = await IpamServer.ExpectAsync(response, 201);
                    held.Add((Id(subnet), Cidr.Parse((string)subnet["cidr"]!)));
                }
                else if (response.StatusCode == HttpStatusCode.Conflict)
                {
                    await ProblemAsync(response, 409, "prefix-unavailable");
                }
                else
                {
                    // A specific /27 outside the pool's prefixes.
                    await ValidationProblemAsync(response);
                }
            }

            var available = (await AvailableAsync(Id(pool))).Select(Cidr.Parse);
            var pieces = available.Concat(held.Select(h => h.Cidr)).OrderBy(c => c.Network).ToList();
            for (var i = 1; i < pieces.Count; i++)
            {
                Assert.True(pieces[i - 1].Last.Value < pieces[i].First.Value, $"step {step}: {pieces[i - 1]} overlaps {pieces[i]}");
            }

            Assert.Equal(
                poolSet.Aggregate(UInt128.Zero, (sum, c) => sum + c.Range.Count),
                pieces.Aggregate(UInt128.Zero, (sum, c) => sum + c.Range.Count));
            Assert.All(pieces, piece => Assert.Contains(poolSet, prefix => prefix.Contains(piece.Range)));
        }
    }

    private static Cidr Buddy(Cidr cidr) =>
        new(new IpAddress(cidr.Version, cidr.Network.Value ^ (UInt128.One << cidr.HostBits)), cidr.PrefixLength);
}

public sealed class AvailablePrefixesTestsOnSqlite(SqliteApiFixture api) : AvailablePrefixesTests(api), IClassFixture<SqliteApiFixture>;

public sealed class AvailablePrefixesTestsOnPostgres(PostgresApiFixture api) : AvailablePrefixesTests(api), IClassFixture<PostgresApiFixture>;

public sealed class AvailablePrefixesTestsOnThreeInstances(ThreeInstancesApiFixture api) : AvailablePrefixesTests(api), IClassFixture<ThreeInstancesApiFixture>;
