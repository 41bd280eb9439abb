using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.History;

/// <summary><c>GET /v1/allocations?owner=X</c>: one owner's allocations across subnets, by subnet id and address.</summary>
public abstract class OwnerAllocationsTests(ApiFixture api)
{
    [Fact]
    public async Task List_OwnerInSeveralSubnets_ListsAllOfThemInKeyOrderAcrossPages()
    {
        var owner = $"owner-{Guid.NewGuid():N}";
        var expected = new List<(string Subnet, string Ip)>();
        foreach (var cidr in new[] { "10.76.0.0/24", "10.76.0.0/24", "2001:db8:76::/64" })
        {
            var id = Id(await api.CreateSubnetAsync(new { cidr }));
            var prefix = cidr.Split('/')[0];
            foreach (var host in new[] { "30", "4", "200" })
            {
                var ip = prefix.Contains(':', StringComparison.Ordinal) ? prefix + host : prefix[..^1] + host;
                await api.AllocateAsync(id, new { ip_address = ip, owner, description = "mine" });
                expected.Add((id, ip));
            }

            await api.AllocateAsync(id, new { ip_address = prefix.Contains(':', StringComparison.Ordinal) ? prefix + "9" : prefix[..^1] + "9", owner = owner + "-other" });
            await api.AllocateAsync(id, new { ip_address = prefix.Contains(':', StringComparison.Ordinal) ? prefix + "8" : prefix[..^1] + "8" });
        }

        AssertStatusOk(await api.Client.DeleteAsync($"/v1/subnets/{expected[0].Subnet}/allocations/{expected[0].Ip}"));
        expected.RemoveAt(0);

        var listed = await api.ListAllAsync($"/v1/allocations?owner={owner}", limit: 4);

        var order = expected.OrderBy(e => e.Subnet, StringComparer.Ordinal).ThenBy(e => System.Net.IPAddress.Parse(e.Ip).GetAddressBytes(), ByteOrder.Instance);
        Assert.Equal(order, listed.Select(a => ((string)a["subnet_id"]!, (string)a["ip_address"]!)));
        Assert.All(listed, a => Assert.Equal(owner, (string?)a["owner"]));
        Assert.Equal(["subnet_id", "ip_address", "owner", "description", "created_at", "expires_at"], listed[0].Select(p => p.Key));
    }

    [Fact]
    public async Task List_UnknownOwner_IsEmpty()
    {
        var page = await api.GetJsonAsync($"/v1/allocations?owner=nobody-{Guid.NewGuid():N}");

        Assert.Empty(page["items"]!.AsArray());
        Assert.Null(page["next"]);
    }

    [Theory]
    [InlineData("/v1/allocations")]
    [InlineData("/v1/allocations?owner=")]
    [InlineData("/v1/allocations?owner=x&cursor=abc")]
    [InlineData("/v1/allocations?owner=x&cursor=8e0b0c2e-9a57-4b8e-a8b4-6a0d7b1c2d3e,10.0.0.300")]
    [InlineData("/v1/allocations?owner=x&limit=1001")]
    public async Task List_BadQuery_Returns400(string path) =>
        await ValidationProblemAsync(await api.Client.GetAsync(path));

    private static void AssertStatusOk(HttpResponseMessage response) => AssertStatus(response, System.Net.HttpStatusCode.NoContent);

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x!.Length != y!.Length ? x.Length.CompareTo(y.Length) : x.AsSpan().SequenceCompareTo(y);
    }
}

public sealed class OwnerAllocationsTestsOnSqlite(SqliteApiFixture api) : OwnerAllocationsTests(api), IClassFixture<SqliteApiFixture>;

public sealed class OwnerAllocationsTestsOnPostgres(PostgresApiFixture api) : OwnerAllocationsTests(api), IClassFixture<PostgresApiFixture>;
