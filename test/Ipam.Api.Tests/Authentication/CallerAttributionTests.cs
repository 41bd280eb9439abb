using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using static Ipam.Api.Tests.Authentication.TokenRequests;

namespace Ipam.Api.Tests.Authentication;

/// <summary>
/// Concurrent writes of different callers share commits; each change is still recorded with its own caller as
/// actor, not the caller whose request happened to start the shared transaction.
/// </summary>
public sealed class CallerAttributionTests
{
    public static TheoryData<StoreKind> Stores => [StoreKind.Sqlite, StoreKind.Postgres];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ConcurrentWrites_OfTwoTokens_EachRecordedWithItsOwnActor(StoreKind store)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store, authentication: true);
        var first = await server.TokenAsync(CallerRole.Member, "first");
        var second = await server.TokenAsync(CallerRole.Member, "second");

        var writes = Enumerable.Range(0, 40).Select(i =>
        {
            var (token, tenant) = i % 2 == 0 ? (first, "first") : (second, "second");
            return PostAsync(server.Client, "/v1/subnets", new { cidr = $"10.{i}.0.0/24", tenant_id = tenant }, token.Secret);
        });
        Assert.All(await Task.WhenAll(writes), r => Assert.Equal(201, (int)r.StatusCode));

        var admin = (await server.TokenAsync(CallerRole.Admin, null)).Secret;
        var events = await (await GetAsync(server.Client, "/v1/events?limit=1000", admin)).Content.ReadAsStringAsync();
        var items = System.Text.Json.Nodes.JsonNode.Parse(events)!["items"]!.AsArray()
            .Where(e => (string?)e!["type"] == ChangeTypes.SubnetCreated).ToList();
        Assert.Equal(40, items.Count);
        Assert.All(items, e => Assert.Equal(
            (string?)e!["tenant_id"] == "first" ? first.Token.Id.ToString() : second.Token.Id.ToString(),
            (string?)e!["actor"]));
    }
}
