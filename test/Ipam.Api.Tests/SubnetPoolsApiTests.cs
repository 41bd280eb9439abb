using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Addressing;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests;

/// <summary>
/// <c>/v1/subnet-pools</c> and subnets allocated from them: Neutron's prefix-length rules, best-fit prefix
/// allocation, specific prefixes, exhaustion, available prefixes, quotas and concurrent allocation.
/// </summary>
public abstract class SubnetPoolsApiTests(ApiFixture api)
{
    /// <summary>The store of the shared server, for tests that start a server of their own.</summary>
    private StoreKind Store => api is PostgresApiFixture ? StoreKind.Postgres : StoreKind.Sqlite;

    private static string NewTenant() => $"tenant-{Guid.NewGuid():N}";

    private async Task<JsonObject> CreatePoolAsync(object body) => await IpamServer.ExpectAsync(await api.PostAsync("/v1/subnet-pools", body), 201);

    private async Task<JsonObject> FromPoolAsync(string poolId, int? prefixlen = null, string? tenant = null) =>
        await api.CreateSubnetAsync(new Dictionary<string, object?>
        {
            ["subnet_pool_id"] = poolId,
            ["prefixlen"] = prefixlen,
            ["tenant_id"] = tenant,
        }.Where(p => p.Value is not null).ToDictionary());

    private Task<HttpResponseMessage> PostFromPoolAsync(object body) => api.PostAsync("/v1/subnets", body);

    private async Task<List<string>> AvailableAsync(string poolId) =>
        [.. (await api.GetJsonAsync($"/v1/subnet-pools/{poolId}/available-prefixes"))["prefixes"]!.AsArray().Select(p => (string)p!)];

    private static List<string> Prefixes(JsonObject pool) => [.. pool["prefixes"]!.AsArray().Select(p => (string)p!)];

    // ---- create ----

    [Fact]
    public async Task Create_MinOnly_DefaultsDerivedLikeNeutron()
    {
        var response = await api.PostAsync("/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.10.0.0/16", "192.168.1.0/24" }, min_prefixlen = 21 });
        var pool = await IpamServer.ExpectAsync(response, 201);

        Assert.Equal(4, (int)pool["ip_version"]!);
        Assert.Equal(["10.10.0.0/16", "192.168.1.0/24"], Prefixes(pool));
        Assert.Equal(21, (int)pool["min_prefixlen"]!);
        Assert.Equal(21, (int)pool["default_prefixlen"]!);
        Assert.Equal(32, (int)pool["max_prefixlen"]!);
        Assert.Null(pool["default_quota"]);
        Assert.Null(pool["address_scope_id"]);
        Assert.Equal($"/v1/subnet-pools/{Id(pool)}", response.Headers.Location?.OriginalString);
        Assert.True(JsonNode.DeepEquals(pool, await api.GetJsonAsync($"/v1/subnet-pools/{Id(pool)}")));
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
        var response = await api.PostAsync("/v1/subnet-pools", new { prefixes = new[] { "10.0.0.0/16" }, min_prefixlen = 24, max_prefixlen = 20, default_quota = -1 });

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
    [InlineData("""{"name":"p","prefixes":["10.0.0.0/24"],"default_prefixlen":20,"min_prefixlen":21}""", "default_prefixlen")]
    [InlineData("""{"name":"p","prefixes":["10.0.0.0/24"],"max_prefixlen":33}""", "max_prefixlen")]
    [InlineData("""{"name":"p","prefixes":["10.0.0.0/24"],"min_prefixlen":-1}""", "min_prefixlen")]
    [InlineData("""{"name":"p","prefixes":["2001:db8::/32"],"max_prefixlen":48}""", "min_prefixlen")]
    [InlineData("""{"name":"","prefixes":["10.0.0.0/24"]}""", "name")]
    public async Task Create_Invalid_400NamesTheField(string body, string field)
    {
        var problem = await ValidationProblemAsync(await api.PostJsonAsync("/v1/subnet-pools", body));

        Assert.Contains(field, problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Create_UnknownAddressScope_404()
    {
        var scope = Guid.NewGuid();
        var problem = await ProblemAsync(
            await api.PostAsync("/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.0.0.0/24" }, address_scope_id = scope }), 404, "address-scope-not-found");

        Assert.Equal(scope.ToString(), (string?)problem["address_scope_id"]);
    }

    // ---- read ----

    [Fact]
    public async Task Get_Unknown_404WithPoolId()
    {
        var id = Guid.NewGuid();
        var problem = await ProblemAsync(await api.Client.GetAsync($"/v1/subnet-pools/{id}"), 404, "subnet-pool-not-found");

        Assert.Equal(id.ToString(), (string?)problem["subnet_pool_id"]);
        await ProblemAsync(await api.Client.GetAsync($"/v1/subnet-pools/{id}/available-prefixes"), 404, "subnet-pool-not-found");
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

        var listed = await api.ListAllAsync($"/v1/subnet-pools?tenant_id={tenant}", limit: 2);

        // Lists are ordered by id; ids made within one millisecond need not sort in creation order.
        Assert.Equal(created.Order(StringComparer.Ordinal), listed.Select(Id));
    }

    // ---- subnets from a pool ----

    [Fact]
    public async Task CreateSubnet_DefaultPrefixlen_GatewayAndPoolsDerived()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.50.0.0/16" }, default_prefixlen = 24, min_prefixlen = 16 });

        var subnet = await FromPoolAsync(Id(pool));

        Assert.Equal("10.50.0.0/24", (string?)subnet["cidr"]);
        Assert.Equal(Id(pool), (string?)subnet["subnet_pool_id"]);
        Assert.Equal("10.50.0.1", (string?)subnet["gateway_ip"]);
        Assert.Equal(["10.50.0.2-10.50.0.254"], PoolsOf(subnet));
        Assert.Equal("253", Usage(subnet, "total"));
        Assert.Equal("10.50.1.0/24", (string?)(await FromPoolAsync(Id(pool)))["cidr"]);
    }

    [Fact]
    public async Task CreateSubnet_NeutronBestFit_SmallBlockBeforeCarvingTheLargeOne()
    {
        // neutron-behaviour.md items 68-70.
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.10.0.0/16", "192.168.1.0/24" }, min_prefixlen = 21 });

        var first = await FromPoolAsync(Id(pool), 21);
        var second = await FromPoolAsync(Id(pool), 24);
        var third = await FromPoolAsync(Id(pool), 24);

        Assert.Equal("10.10.0.0/21", (string?)first["cidr"]);
        Assert.Equal("10.10.0.1", (string?)first["gateway_ip"]);
        Assert.Equal("192.168.1.0/24", (string?)second["cidr"]);
        Assert.Equal("10.10.8.0/24", (string?)third["cidr"]);
    }

    [Fact]
    public async Task CreateSubnet_Ipv6FromPool_SlashSixtyFourWithGateway()
    {
        var pool = await CreatePoolAsync(new { name = "v6", prefixes = new[] { "2001:db8:100::/48" } });

        var subnet = await FromPoolAsync(Id(pool));
        var specific = await IpamServer.ExpectAsync(await PostFromPoolAsync(new
        {
            subnet_pool_id = Id(pool),
            cidr = "2001:db8:100:ff::/64",
            gateway_ip = "2001:db8:100:ff:ffff:ffff:ffff:ffff",
            ipv6_address_mode = "slaac",
        }), 201);

        Assert.Equal("2001:db8:100::/64", (string?)subnet["cidr"]);
        Assert.Equal(6, (int)subnet["ip_version"]!);
        Assert.Equal("2001:db8:100::1", (string?)subnet["gateway_ip"]);
        Assert.Equal("2001:db8:100:ff::/64", (string?)specific["cidr"]);
        Assert.Equal("2001:db8:100:ff:ffff:ffff:ffff:ffff", (string?)specific["gateway_ip"]);
        Assert.Equal("slaac", (string?)specific["ipv6_address_mode"]);
    }

    [Theory]
    [InlineData(20, "minimum allowed prefix is 21")]
    [InlineData(29, "maximum allowed prefix is 28")]
    [InlineData(33, "maximum allowed prefix is 28")]
    [InlineData(-1, "minimum allowed prefix is 21")]
    public async Task CreateSubnet_PrefixlenOutsideBounds_400(int prefixlen, string message)
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.60.0.0/16" }, min_prefixlen = 21, max_prefixlen = 28 });
        var before = await AvailableAsync(Id(pool));

        var problem = await ValidationProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), prefixlen }));

        Assert.Contains(message, problem["errors"]!["prefixlen"]![0]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_SpecificCidrOutsideBoundsOrPool_400()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.61.0.0/16" }, min_prefixlen = 20, max_prefixlen = 26 });

        await ValidationProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "10.61.0.0/27" }));
        await ValidationProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "10.62.0.0/24" }));
        await ValidationProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "2001:db8::/64" }));
        await ValidationProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "10.61.0.0/24", prefixlen = 25 }));
        Assert.Equal(["10.61.0.0/16"], await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_PoolExhaustedForLength_409PrefixUnavailable()
    {
        var pool = await CreatePoolAsync(new { name = "small", prefixes = new[] { "10.70.0.0/24" }, min_prefixlen = 24, max_prefixlen = 26 });
        Assert.Equal("10.70.0.0/25", (string?)(await FromPoolAsync(Id(pool), 25))["cidr"]);

        var problem = await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), prefixlen = 24 }), 409, "prefix-unavailable");

        Assert.Equal(Id(pool), (string?)problem["subnet_pool_id"]);
        Assert.Equal(24, (int)problem["prefixlen"]!);
        Assert.Equal("10.70.0.128/26", (string?)(await FromPoolAsync(Id(pool), 26))["cidr"]);
        Assert.Equal("10.70.0.192/26", (string?)(await FromPoolAsync(Id(pool), 26))["cidr"]);
        await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), prefixlen = 26 }), 409, "prefix-unavailable");
        Assert.Empty(await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_SpecificPrefixFree_GrantedWithGivenGateway()
    {
        // neutron-behaviour.md item 71.
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.1.0.0/16" }, min_prefixlen = 16 });

        var subnet = await IpamServer.ExpectAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "10.1.2.0/24", gateway_ip = "10.1.2.254" }), 201);

        Assert.Equal("10.1.2.0/24", (string?)subnet["cidr"]);
        Assert.Equal("10.1.2.254", (string?)subnet["gateway_ip"]);
        Assert.Equal(["10.1.2.1-10.1.2.253"], PoolsOf(subnet));
        Assert.DoesNotContain("10.1.2.0/24", await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_SpecificPrefixOverlappingASubnetOfThePool_409()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.80.0.0/16" }, min_prefixlen = 16, default_prefixlen = 24 });
        var existing = await FromPoolAsync(Id(pool));
        var before = await AvailableAsync(Id(pool));

        foreach (var cidr in new[] { "10.80.0.0/24", "10.80.0.0/23", "10.80.0.128/25", "10.80.0.0/16" })
        {
            var problem = await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr }), 409, "prefix-unavailable");
            Assert.Equal(Id(pool), (string?)problem["subnet_pool_id"]);
            Assert.Equal(cidr, (string?)problem["cidr"]);
            Assert.Equal((string?)existing["cidr"], (string?)problem["conflicts_with"]);
        }

        Assert.Equal(before, await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_PlainCidrOverlappingAPoolSubnet_IsAllowedAndDoesNotTouchThePool()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.81.0.0/24" }, min_prefixlen = 24 });
        await FromPoolAsync(Id(pool));

        var plain = await api.CreateSubnetAsync(new { cidr = "10.81.0.0/24" });

        Assert.Null(plain["subnet_pool_id"]);
        Assert.Empty(await AvailableAsync(Id(pool)));
    }

    [Fact]
    public async Task CreateSubnet_UnknownPoolOrPrefixlenWithoutPool_Refused()
    {
        var id = Guid.NewGuid();
        var problem = await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = id, prefixlen = 24 }), 404, "subnet-pool-not-found");
        Assert.Equal(id.ToString(), (string?)problem["subnet_pool_id"]);

        var invalid = await ValidationProblemAsync(await PostFromPoolAsync(new { prefixlen = 24 }));
        Assert.Contains("prefixlen", invalid["errors"]!.AsObject().Select(e => e.Key));
        await ValidationProblemAsync(await api.PostJsonAsync("/v1/subnets", """{"subnet_pool_id":"not-a-uuid"}"""));
    }

    [Fact]
    public async Task DeleteSubnet_ReturnsThePrefixToThePool()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.90.0.0/22" }, min_prefixlen = 22, default_prefixlen = 24 });
        var subnets = new List<JsonObject>();
        for (var i = 0; i < 4; i++)
        {
            subnets.Add(await FromPoolAsync(Id(pool)));
        }

        await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool) }), 409, "prefix-unavailable");
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{Id(subnets[2])}"), HttpStatusCode.NoContent);

        Assert.Equal(["10.90.2.0/24"], await AvailableAsync(Id(pool)));
        Assert.Equal("10.90.2.0/24", (string?)(await FromPoolAsync(Id(pool)))["cidr"]);

        foreach (var subnet in subnets)
        {
            await api.Client.DeleteAsync($"/v1/subnets/{Id(subnet)}");
        }

        var remaining = await api.ListAllAsync($"/v1/subnets?subnet_pool_id={Id(pool)}");
        foreach (var subnet in remaining)
        {
            AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{Id(subnet)}"), HttpStatusCode.NoContent);
        }

        Assert.Equal(["10.90.0.0/22"], await AvailableAsync(Id(pool)));
        Assert.Equal("10.90.0.0/22", (string?)(await FromPoolAsync(Id(pool), 22))["cidr"]);
    }

    // ---- available prefixes ----

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
                AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{victim.Id}"), HttpStatusCode.NoContent);
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

    // ---- update ----

    [Fact]
    public async Task Update_AddPrefixesAndLengths_MergedAndValidated()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.110.0.0/24" }, min_prefixlen = 24 });

        var updated = await IpamServer.ExpectAsync(await api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new
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

        var replaced = await IpamServer.ExpectAsync(await api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { prefixes = new[] { "10.110.0.0/23", "10.110.4.0/24" } }), 200);
        Assert.Equal(["10.110.0.0/23", "10.110.4.0/24"], Prefixes(replaced));
        var cleared = await IpamServer.ExpectAsync(await api.PatchJsonAsync($"/v1/subnet-pools/{Id(pool)}", """{"default_quota":null}"""), 200);
        Assert.Null(cleared["default_quota"]);
    }

    [Fact]
    public async Task Update_InvalidBounds_400AndNothingChanged()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.111.0.0/24" }, min_prefixlen = 24 });

        // default_prefixlen stays 24, below the new minimum.
        await ValidationProblemAsync(await api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { min_prefixlen = 26, add_prefixes = new[] { "10.111.1.0/24" } }));
        await ValidationProblemAsync(await api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { max_prefixlen = 40 }));
        await ValidationProblemAsync(await api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { add_prefixes = new[] { "2001:db8::/64" } }));
        await ValidationProblemAsync(await api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { prefixes = Array.Empty<string>() }));
        await ValidationProblemAsync(await api.PatchJsonAsync($"/v1/subnet-pools/{Id(pool)}", """{"name":null}"""));

        Assert.True(JsonNode.DeepEquals(pool, await api.GetJsonAsync($"/v1/subnet-pools/{Id(pool)}")));
    }

    [Fact]
    public async Task Update_RemovingPrefixSpaceInUse_409InUse_UnusedSpaceCanGo()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.112.0.0/23", "10.113.0.0/24" }, min_prefixlen = 23, default_prefixlen = 24 });
        var subnet = await FromPoolAsync(Id(pool));
        Assert.Equal("10.113.0.0/24", (string?)subnet["cidr"]);

        var problem = await ProblemAsync(await api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { remove_prefixes = new[] { "10.113.0.128/25" } }), 409, "in-use");
        Assert.Contains("10.113.0.0/24", problem["references"]!.ToJsonString(), StringComparison.Ordinal);
        await ProblemAsync(await api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { prefixes = new[] { "10.112.0.0/23" } }), 409, "in-use");

        var shrunk = await IpamServer.ExpectAsync(await api.PatchAsync($"/v1/subnet-pools/{Id(pool)}", new { remove_prefixes = new[] { "10.112.1.0/24" } }), 200);
        Assert.Equal(["10.112.0.0/24", "10.113.0.0/24"], Prefixes(shrunk));
        Assert.Equal(["10.112.0.0/24"], await AvailableAsync(Id(pool)));
    }

    // ---- delete ----

    [Fact]
    public async Task Delete_WhileSubnetsAllocated_409ThenGone()
    {
        var pool = await CreatePoolAsync(new { name = "p", prefixes = new[] { "10.120.0.0/24" }, min_prefixlen = 24 });
        var subnet = await FromPoolAsync(Id(pool));

        var problem = await ProblemAsync(await api.Client.DeleteAsync($"/v1/subnet-pools/{Id(pool)}"), 409, "in-use");
        Assert.Equal(1, (int)problem["references"]!["subnets"]!);

        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{Id(subnet)}"), HttpStatusCode.NoContent);
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnet-pools/{Id(pool)}"), HttpStatusCode.NoContent);
        await ProblemAsync(await api.Client.GetAsync($"/v1/subnet-pools/{Id(pool)}"), 404, "subnet-pool-not-found");
        await ProblemAsync(await api.Client.DeleteAsync($"/v1/subnet-pools/{Id(pool)}"), 404, "subnet-pool-not-found");
        await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool) }), 404, "subnet-pool-not-found");
    }

    // ---- quotas ----

    [Fact]
    public async Task Quota_Ipv4_CountsAddressesPerTenant()
    {
        var pool = await CreatePoolAsync(new { name = "q4", prefixes = new[] { "10.130.0.0/16" }, min_prefixlen = 16, default_prefixlen = 24, default_quota = 600 });
        var alice = NewTenant();
        var bob = NewTenant();

        await FromPoolAsync(Id(pool), 24, alice);
        await FromPoolAsync(Id(pool), 25, alice);
        var problem = await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), prefixlen = 24, tenant_id = alice }), 409, "quota-exceeded");

        Assert.Equal(600, (long)problem["quota"]!);
        Assert.Equal(384, (long)problem["used"]!);
        Assert.Equal(256, (long)problem["requested"]!);

        // The rest of the quota is still usable, by size and by specific prefix; other tenants have their own.
        await FromPoolAsync(Id(pool), 26, alice);
        var specific = await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "10.130.200.0/24", tenant_id = alice }), 409, "quota-exceeded");
        Assert.Equal(448, (long)specific["used"]!);
        await IpamServer.ExpectAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), cidr = "10.130.200.0/27", tenant_id = alice }), 201);
        await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), prefixlen = 25, tenant_id = alice }), 409, "quota-exceeded");
        await FromPoolAsync(Id(pool), 23, bob);

        // Deleting a subnet gives its addresses back to the tenant's quota.
        var alices = await api.ListAllAsync($"/v1/subnets?subnet_pool_id={Id(pool)}&tenant_id={alice}");
        Assert.Equal(4, alices.Count);
        AssertStatus(await api.Client.DeleteAsync($"/v1/subnets/{Id(alices.Single(s => (string?)s["cidr"] == "10.130.0.0/24"))}"), HttpStatusCode.NoContent);
        await FromPoolAsync(Id(pool), 24, alice);
    }

    [Fact]
    public async Task Quota_Ipv6_CountsSlash64s()
    {
        // neutron-behaviour.md item 75: quota 1 on IPv6, a /63 is 2 units.
        var pool = await CreatePoolAsync(new { name = "q6", prefixes = new[] { "2001:db8:200::/48" }, min_prefixlen = 48, default_prefixlen = 64, default_quota = 1 });
        var tenant = NewTenant();

        var problem = await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), prefixlen = 63, tenant_id = tenant }), 409, "quota-exceeded");
        Assert.Equal(1, (long)problem["quota"]!);
        Assert.Equal(0, (long)problem["used"]!);
        Assert.Equal(2, (long)problem["requested"]!);

        await FromPoolAsync(Id(pool), 64, tenant);
        var full = await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(pool), prefixlen = 80, tenant_id = tenant }), 409, "quota-exceeded");
        Assert.Equal(1, (long)full["used"]!);
        Assert.Equal(1, (long)full["requested"]!);

        // A larger quota: a /48 is 65,536 units, and prefixes longer than /64 still count one /64 each.
        var big = await CreatePoolAsync(new { name = "q6b", prefixes = new[] { "2001:db8:400::/47" }, min_prefixlen = 47, default_quota = 65538 });
        await FromPoolAsync(Id(big), 48, tenant);
        await FromPoolAsync(Id(big), 127, tenant);
        await FromPoolAsync(Id(big), 128, tenant);
        var last = await ProblemAsync(await PostFromPoolAsync(new { subnet_pool_id = Id(big), prefixlen = 96, tenant_id = tenant }), 409, "quota-exceeded");
        Assert.Equal(65538, (long)last["used"]!);
        Assert.Equal(1, (long)last["requested"]!);
    }

    // ---- concurrency ----

    [Fact]
    public async Task CreateSubnet_SixteenClientsOnOnePool_NeverOverlapAndFillItExactly()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: Store);
        var pool = await IpamServer.ExpectAsync(await server.Client.PostAsJsonAsync("/v1/subnet-pools", new
        {
            name = "race",
            prefixes = new[] { "10.140.0.0/20", "10.141.0.0/22" },
            min_prefixlen = 20,
            max_prefixlen = 28,
            default_prefixlen = 26,
        }), 201);
        var poolId = Id(pool);
        var created = new ConcurrentBag<string>();
        var refusals = new ConcurrentBag<string>();
        var clients = Enumerable.Range(0, 16).Select(client => Task.Run(async () =>
        {
            var random = new Random(client);
            var specificTries = 0;
            while (true)
            {
                object body = client % 4 == 0 && specificTries++ < 20
                    ? new { subnet_pool_id = poolId, cidr = $"10.140.{random.Next(16)}.{random.Next(4) * 64}/26" }
                    : new { subnet_pool_id = poolId, prefixlen = 24 + random.Next(5) };
                var response = await server.Client.PostAsJsonAsync("/v1/subnets", body);
                if (response.StatusCode == HttpStatusCode.Conflict)
                {
                    var problem = await IpamServer.ExpectProblemAsync(response, 409, "prefix-unavailable");
                    refusals.Add((string)problem["code"]!);
                    if (problem["cidr"] is null && (int)problem["prefixlen"]! == 28)
                    {
                        return;
                    }

                    continue;
                }

                created.Add((string)(await IpamServer.ExpectAsync(response, 201))["cidr"]!);
            }
        })).ToArray();
        await Task.WhenAll(clients);

        // The checker: every subnet the server handed out, and what it reports as free, tile the pool exactly.
        var cidrs = created.Select(Cidr.Parse).OrderBy(c => c.Network).ToList();
        for (var i = 1; i < cidrs.Count; i++)
        {
            Assert.True(cidrs[i - 1].Last < cidrs[i].First, $"{cidrs[i - 1]} overlaps {cidrs[i]}");
        }

        var available = (await server.GetJsonAsync($"/v1/subnet-pools/{poolId}/available-prefixes"))["prefixes"]!.AsArray();
        Assert.Empty(available);
        var total = cidrs.Aggregate(UInt128.Zero, (sum, c) => sum + c.Range.Count);
        Assert.Equal((UInt128)(4096 + 1024), total);
        var stored = new List<string>();
        string? cursor = null;
        do
        {
            var page = await server.GetJsonAsync($"/v1/subnets?subnet_pool_id={poolId}&limit=1000" + (cursor is null ? "" : $"&cursor={cursor}"));
            stored.AddRange(page["items"]!.AsArray().Select(s => (string)s!["cidr"]!));
            cursor = (string?)page["next"];
        }
        while (cursor is not null);

        Assert.Equal(created.Order(), stored.Order());
    }
}

public sealed class SubnetPoolsApiTestsOnSqlite(SqliteApiFixture api) : SubnetPoolsApiTests(api), IClassFixture<SqliteApiFixture>;

public sealed class SubnetPoolsApiTestsOnPostgres(PostgresApiFixture api) : SubnetPoolsApiTests(api), IClassFixture<PostgresApiFixture>;
