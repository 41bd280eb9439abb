using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using static Ipam.Api.Tests.Authentication.TokenRequests;

namespace Ipam.Api.Tests.Authentication;

/// <summary><c>POST /v1/tokens</c> takes a lifetime, <c>expires_in</c>, as <c>ipam token create --expires-in</c> does.</summary>
public sealed class TokenLifetimeTests
{
    public static TheoryData<StoreKind> Stores => [StoreKind.Sqlite, StoreKind.Postgres, StoreKind.ThreePostgresInstances];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task CreateToken_WithExpiresIn_ExpiresThatLongAfterItsCreation(StoreKind store)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store, authentication: true);
        var admin = (await server.TokenAsync(CallerRole.Admin, null)).Secret;

        foreach (var (lifetime, length) in new[] { ("90d", TimeSpan.FromDays(90)), ("12h", TimeSpan.FromHours(12)), ("45s", TimeSpan.FromSeconds(45)) })
        {
            var created = await IpamServer.ExpectAsync(
                await PostAsync(server.Client, "/v1/tokens", new { role = "reader", tenant_id = "acme", expires_in = lifetime }, admin), 201);

            var createdAt = DateTimeOffset.Parse((string)created["created_at"]!, System.Globalization.CultureInfo.InvariantCulture);
            var expiresAt = DateTimeOffset.Parse((string)created["expires_at"]!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(length, expiresAt - createdAt);
        }
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task CreateToken_WithABadOrSecondExpiry_Answers400NamingExpiresInAndMakesNoToken(StoreKind store)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store, authentication: true);
        var admin = (await server.TokenAsync(CallerRole.Admin, null)).Secret;
        var before = await (await GetAsync(server.Client, "/v1/tokens", admin)).Content.ReadAsStringAsync();

        foreach (var body in new object[]
        {
            new { role = "admin", expires_in = "90" },
            new { role = "admin", expires_in = "0d" },
            new { role = "admin", expires_in = "-1d" },
            new { role = "admin", expires_in = "36501d" },
            new { role = "admin", expires_in = "1w" },
            new { role = "admin", expires_in = "" },
            new { role = "admin", expires_in = "90d", expires_at = "2999-01-01T00:00:00Z" },
        })
        {
            var problem = await IpamServer.ExpectProblemAsync(await PostAsync(server.Client, "/v1/tokens", body, admin), 400, "invalid-request");
            Assert.True(problem["errors"]!.AsObject().ContainsKey("expires_in"), problem.ToJsonString());
        }

        Assert.Equal(before, await (await GetAsync(server.Client, "/v1/tokens", admin)).Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task CreateToken_WithExpiresAtPastTheLongestLifetime_Answers400NamingExpiresAtAndMakesNoToken(StoreKind store)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store, authentication: true);
        var admin = (await server.TokenAsync(CallerRole.Admin, null)).Secret;
        var before = await (await GetAsync(server.Client, "/v1/tokens", admin)).Content.ReadAsStringAsync();

        foreach (var expiresAt in new[] { "9999-12-31T23:59:59Z", DateTimeOffset.UtcNow.AddDays(36_501).ToString("O", System.Globalization.CultureInfo.InvariantCulture) })
        {
            var problem = await IpamServer.ExpectProblemAsync(await PostAsync(server.Client, "/v1/tokens", new { role = "admin", expires_at = expiresAt }, admin), 400, "invalid-request");
            Assert.Contains("36500 days", (string)problem["errors"]!["expires_at"]![0]!, StringComparison.Ordinal);
        }

        Assert.Equal(before, await (await GetAsync(server.Client, "/v1/tokens", admin)).Content.ReadAsStringAsync());
        var longest = DateTimeOffset.UtcNow.AddDays(36_499).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(System.Net.HttpStatusCode.Created, (await PostAsync(server.Client, "/v1/tokens", new { role = "admin", expires_at = longest }, admin)).StatusCode);
    }
}
