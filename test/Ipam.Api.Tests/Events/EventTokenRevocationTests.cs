using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;

namespace Ipam.Api.Tests.Events;

/// <summary>
/// A stream or long-poll whose token is revoked or expires while it lasts ends then, not at its next heartbeat or at
/// the end of its wait: on one instance, and on three on PostgreSQL with the revocation made through another one. The
/// servers send heartbeats every ten minutes and long-polls wait a minute, so that neither can be what ends them
/// before the guard timeout (which only keeps a failing test from hanging).
/// </summary>
public sealed class EventTokenRevocationTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    public static TheoryData<StoreKind, CallerRole> Streams => new()
    {
        { StoreKind.Sqlite, CallerRole.Member },
        { StoreKind.Sqlite, CallerRole.Admin },
        { StoreKind.Postgres, CallerRole.Member },
        { StoreKind.ThreePostgresInstances, CallerRole.Member },
        { StoreKind.ThreePostgresInstances, CallerRole.Admin },
    };

    public static TheoryData<StoreKind> Stores => [StoreKind.Sqlite, StoreKind.Postgres, StoreKind.ThreePostgresInstances];

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task Stream_TokenRevokedThroughTheApi_EndsWithNothingCommittedAfterTheRevocation(StoreKind store, CallerRole role)
    {
        await using var server = await StartAsync(store);
        var tenant = ApiFixture.NewTenant();
        var follower = await server.TokenAsync(role, role == CallerRole.Admin ? null : tenant);
        using var writer = await AdminAsync(server);
        using var first = ClientOf(server, 0, follower.Secret);
        await using var stream = await EventStreamClient.OpenAsync(first, $"/v1/events?after={await EndAsync(first)}");
        var before = await SubnetAsync(writer, tenant, "10.91.0.0/24");
        Assert.Equal(before, (string?)JsonNode.Parse((await stream.NextAsync(Guard))!.Value.Data)!["subnet_id"]);

        // Through the last instance: on three, not the one the stream reads from.
        Assert.Equal(204, (int)(await writer.DeleteAsync($"/v1/tokens/{follower.Token.Id}")).StatusCode);
        await SubnetAsync(writer, tenant, "10.91.1.0/24");

        // Neither the change committed after the revocation nor the revocation itself (which an admin may see) goes out.
        Assert.Equal("ended", await NextAsync(stream));
        await IpamServer.ExpectProblemAsync(await OpenAsync(first, "/v1/events?tail=1"), 401, "unauthenticated");
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Stream_TokenRevokedAndNothingCommitsAfter_Ends(StoreKind store)
    {
        await using var server = await StartAsync(store);
        var follower = await server.TokenAsync(CallerRole.Reader, ApiFixture.NewTenant());
        using var first = ClientOf(server, 0, follower.Secret);
        await using var stream = await EventStreamClient.OpenAsync(first, $"/v1/events?after={await EndAsync(first)}");

        await RevokeAsync(server, follower.Token.Id);

        Assert.Equal("ended", await NextAsync(stream));
    }

    [Fact]
    public async Task Stream_TokenExpires_EndsAtTheExpiry()
    {
        await using var server = await StartAsync(StoreKind.Sqlite);
        // Long enough for the stream to open on a slow machine before the token expires.
        var follower = await server.TokenAsync(CallerRole.Member, ApiFixture.NewTenant(), DateTimeOffset.UtcNow.AddSeconds(8));
        using var first = ClientOf(server, 0, follower.Secret);
        await using var stream = await EventStreamClient.OpenAsync(first, $"/v1/events?after={await EndAsync(first)}");

        Assert.Equal("ended", await NextAsync(stream));
        await IpamServer.ExpectProblemAsync(await OpenAsync(first, "/v1/events?tail=1"), 401, "unauthenticated");
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task LongPoll_TokenRevokedWhileWaiting_401BeforeTheWaitIsUp(StoreKind store)
    {
        await using var server = await StartAsync(store);
        var follower = await server.TokenAsync(CallerRole.Member, ApiFixture.NewTenant());
        using var first = ClientOf(server, 0, follower.Secret);
        var waiting = first.GetAsync($"/v1/events?after={await EndAsync(first)}&wait={Ipam.Api.Events.EventsApi.MaxWaitSeconds}");
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // the request authenticated and waiting before the revocation

        await RevokeAsync(server, follower.Token.Id);

        await IpamServer.ExpectProblemAsync(await waiting.WaitAsync(Guard), 401, "unauthenticated");
    }

    /// <summary>What the stream does next: "ended", "event TYPE", or "still open" when it did neither within the guard.</summary>
    private static async Task<string> NextAsync(EventStreamClient stream)
    {
        try
        {
            return await stream.NextAsync(Guard) is { } item ? $"event {item.EventType}" : "ended";
        }
        catch (IOException)
        {
            return "ended";
        }
        catch (TimeoutException)
        {
            return "still open";
        }
    }

    private static Task<IpamServer> StartAsync(StoreKind store) => IpamServer.StartAsync(
        durableCommits: false, store: store, authentication: true,
        configure: options => options with { EventHeartbeatInterval = TimeSpan.FromMinutes(10) });

    /// <summary>An admin's client of the last instance (the only one, or the third of three).</summary>
    private static async Task<HttpClient> AdminAsync(IpamServer server) =>
        ClientOf(server, server.InstanceClients.Count - 1, (await server.TokenAsync(CallerRole.Admin, null)).Secret);

    /// <summary>Revokes a token through the last instance (on three, not the one the follower reads from).</summary>
    private static async Task RevokeAsync(IpamServer server, Guid token)
    {
        using var admin = await AdminAsync(server);
        Assert.Equal(204, (int)(await admin.DeleteAsync($"/v1/tokens/{token}")).StatusCode);
    }

    /// <summary>A client of one instance that presents <paramref name="secret"/>.</summary>
    private static HttpClient ClientOf(IpamServer server, int instance, string secret)
    {
        var client = new HttpClient { BaseAddress = server.InstanceClients[instance].BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    /// <summary>The client's cursor at the end of the log: what follows it happens later.</summary>
    private static async Task<string> EndAsync(HttpClient client) =>
        (string)(await IpamServer.ExpectAsync(await client.GetAsync("/v1/events?tail=1"), 200))["next"]!;

    private static async Task<string> SubnetAsync(HttpClient admin, string tenant, string cidr) =>
        (string)(await IpamServer.ExpectAsync(await admin.PostAsJsonAsync("/v1/subnets", new { cidr, tenant_id = tenant }), 201))["id"]!;

    private static Task<HttpResponseMessage> OpenAsync(HttpClient client, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
