using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using Ipam.Testing;
using static Ipam.Api.Tests.Authentication.TokenRequests;

namespace Ipam.Api.Tests.Authentication;

/// <summary>A server that requires tokens (<c>--auth on</c>), on each store.</summary>
public sealed class BearerTokenTests
{
    public static TheoryData<StoreKind> Stores => [StoreKind.Sqlite, StoreKind.Postgres];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Request_WithoutOrWithBadToken_Answers401BearerChallengeAndProblem(StoreKind store)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store, authentication: true);
        var valid = (await server.TokenAsync(CallerRole.Admin, null)).Secret;
        var otherSecret = (await server.TokenAsync(CallerRole.Admin, null)).Secret;
        string[] refused =
        [
            "not-a-token",
            $"ipam_{Guid.NewGuid():N}_{valid[^43..]}",
            valid[..^43] + otherSecret[^43..],
        ];

        await ExpectUnauthenticatedAsync(await GetAsync(server.Client, "/v1/subnets", token: null));
        foreach (var token in refused)
        {
            var response = await GetAsync(server.Client, "/v1/subnets", token);
            await ExpectUnauthenticatedAsync(response);
            Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
        }

        var basic = new HttpRequestMessage(HttpMethod.Get, "/v1/subnets");
        basic.Headers.Authorization = new("Basic", "YWRtaW46YWRtaW4=");
        await ExpectUnauthenticatedAsync(await server.Client.SendAsync(basic));
        Assert.Equal(200, (int)(await GetAsync(server.Client, "/v1/subnets", valid)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task OpenEndpoints_WithoutToken_Answer(StoreKind store)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store, authentication: true);

        foreach (var path in new[] { "/healthz", "/readyz", "/", "/ui/app.js", "/ui/style.css", "/openapi/v1.json" })
        {
            Assert.True((int)(await server.Client.GetAsync(path)).StatusCode == 200, path);
        }

        await ExpectUnauthenticatedAsync(await server.Client.GetAsync("/v1/events"));
        await ExpectUnauthenticatedAsync(await server.Client.GetAsync("/v1/tokens"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Admin_CreatesListsAndRevokesTokens_SecretShownOnceAndNeverAgain(StoreKind store)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store, authentication: true);
        var admin = await server.TokenAsync(CallerRole.Admin, null);

        var created = await CreateAsync(server.Client, admin.Secret, new { role = "member", tenant_id = "acme", name = "ci" });
        var secret = (string)created["token"]!;
        var id = (string)created["id"]!;
        Assert.StartsWith("ipam_", secret, StringComparison.Ordinal);
        Assert.Equal(("member", "acme", "ci", admin.Token.Id.ToString()),
            ((string?)created["role"], (string?)created["tenant_id"], (string?)created["name"], (string?)created["created_by"]));
        Assert.Equal(200, (int)(await GetAsync(server.Client, "/v1/subnets", secret)).StatusCode);

        var list = await (await GetAsync(server.Client, "/v1/tokens", admin.Secret)).Content.ReadAsStringAsync();
        var one = await (await GetAsync(server.Client, $"/v1/tokens/{id}", admin.Secret)).Content.ReadAsStringAsync();
        Assert.Contains(id, list, StringComparison.Ordinal);
        Assert.Contains("\"revoked_at\":null", one, StringComparison.Ordinal);
        AssertNoSecret([list, one], secret, admin.Secret);

        Assert.Equal(204, (int)(await DeleteAsync(server.Client, $"/v1/tokens/{id}", admin.Secret)).StatusCode);
        await ExpectUnauthenticatedAsync(await GetAsync(server.Client, "/v1/subnets", secret));
        Assert.Equal(204, (int)(await DeleteAsync(server.Client, $"/v1/tokens/{id}", admin.Secret)).StatusCode);
        await IpamServer.ExpectProblemAsync(await DeleteAsync(server.Client, $"/v1/tokens/{Guid.NewGuid()}", admin.Secret), 404, "token-not-found");

        var events = await (await GetAsync(server.Client, "/v1/events", admin.Secret)).Content.ReadAsStringAsync();
        var logs = string.Join("\n", server.Logs.Entries.Select(e => e.Message + e.Exception));
        Assert.Contains("\"type\":\"token.created\"", events, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"token.revoked\"", events, StringComparison.Ordinal);
        Assert.Contains($"\"actor\":\"{admin.Token.Id}\"", events, StringComparison.Ordinal);
        AssertNoSecret([events, logs], secret, admin.Secret);

        // The events give the times the token shows: its creation, and its revocation (the first; the second changed nothing).
        var revoked = System.Text.Json.Nodes.JsonNode.Parse(await (await GetAsync(server.Client, $"/v1/tokens/{id}", admin.Secret)).Content.ReadAsStringAsync())!;
        var times = System.Text.Json.Nodes.JsonNode.Parse(events)!["items"]!.AsArray()
            .Where(e => (string?)e!["resource_id"] == id).Select(e => ((string)e!["type"]!, Time(e["at"]))).ToList();
        Assert.Equal([("token.created", Time(created["created_at"])), ("token.revoked", Time(revoked["revoked_at"]))], times);
    }

    private static DateTimeOffset Time(System.Text.Json.Nodes.JsonNode? node) =>
        DateTimeOffset.Parse((string)node!, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TokensEndpoints_ForMemberOrReader_Answer403Forbidden(StoreKind store)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store, authentication: true);
        var admin = await server.TokenAsync(CallerRole.Admin, null);
        foreach (var role in new[] { CallerRole.Member, CallerRole.Reader })
        {
            var token = (await server.TokenAsync(role, "acme")).Secret;
            var refused = new[]
            {
                await GetAsync(server.Client, "/v1/tokens", token),
                await PostAsync(server.Client, "/v1/tokens", new { role = "admin" }, token),
                await DeleteAsync(server.Client, $"/v1/tokens/{admin.Token.Id}", token),
            };
            foreach (var response in refused)
            {
                var problem = await IpamServer.ExpectProblemAsync(response, 403, "forbidden");
                Assert.Equal("admin", (string?)problem["required_role"]);
            }
        }

        Assert.Equal(200, (int)(await GetAsync(server.Client, "/v1/subnets", admin.Secret)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task CreateToken_MemberWithoutTenantOrUnknownRole_Answers400(StoreKind store)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store, authentication: true);
        var admin = (await server.TokenAsync(CallerRole.Admin, null)).Secret;

        foreach (var body in new object[] { new { role = "member" }, new { role = "root" }, new { role = "admin", tenant_id = "acme" },
            new { role = "reader", tenant_id = "acme", expires_at = "2001-01-01T00:00:00Z" } })
        {
            await IpamServer.ExpectProblemAsync(await PostAsync(server.Client, "/v1/tokens", body, admin), 400, "invalid-request");
        }

        var unknown = await IpamServer.ExpectProblemAsync(await PostAsync(server.Client, "/v1/tokens", new { role = "root", tenant_id = "acme" }, admin), 400, "invalid-request");
        var missing = await IpamServer.ExpectProblemAsync(await PostAsync(server.Client, "/v1/tokens", new { tenant_id = "acme" }, admin), 400, "invalid-request");
        Assert.Equal("'root' is not a role: admin, member or reader.", (string?)unknown["errors"]!["role"]![0]);
        Assert.Equal("role is required: admin, member or reader.", (string?)missing["errors"]!["role"]![0]);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task CreateToken_LookalikeTenantId_Answers400NamingTenantIdAndMakesNoToken(StoreKind store)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store, authentication: true);
        var admin = (await server.TokenAsync(CallerRole.Admin, null)).Secret;
        var before = await (await GetAsync(server.Client, "/v1/tokens", admin)).Content.ReadAsStringAsync();

        foreach (var tenant in new[] { "acme ", " acme", "acme\u00a0" })
        {
            var problem = await IpamServer.ExpectProblemAsync(await PostAsync(server.Client, "/v1/tokens", new { role = "member", tenant_id = tenant }, admin), 400, "invalid-request");
            Assert.True(problem["errors"]!.AsObject().ContainsKey("tenant_id"), problem.ToJsonString());
        }

        Assert.Equal(before, await (await GetAsync(server.Client, "/v1/tokens", admin)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Token_PastItsExpiry_IsRefused()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var server = await IpamServer.StartAsync(time: clock, durableCommits: false, authentication: true);
        var token = (await server.TokenAsync(CallerRole.Reader, "acme", expiresAt: clock.GetUtcNow().AddHours(1))).Secret;
        Assert.Equal(200, (int)(await GetAsync(server.Client, "/v1/subnets", token)).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(61));

        await ExpectUnauthenticatedAsync(await GetAsync(server.Client, "/v1/subnets", token));
    }

    private static void AssertNoSecret(IEnumerable<string> texts, params string[] secrets)
    {
        foreach (var text in texts)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret[^43..], text, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("secret_hash", text, StringComparison.Ordinal);
        }
    }
}
