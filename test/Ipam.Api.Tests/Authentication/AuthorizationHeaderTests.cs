using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using static Ipam.Api.Tests.Authentication.TokenRequests;

namespace Ipam.Api.Tests.Authentication;

/// <summary>
/// A 401 says what was wrong with the <c>Authorization</c> header the request sent (several credentials, another
/// scheme, a token the server refuses), with the matching Bearer challenge, on every deployment shape.
/// </summary>
public sealed class AuthorizationHeaderTests
{
    public static TheoryData<StoreKind> Shapes => [StoreKind.Sqlite, StoreKind.Postgres, StoreKind.ThreePostgresInstances];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Request_WithUnusableAuthorizationHeader_Answers401SayingWhatIsWrong(StoreKind store)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store, authentication: true);
        var valid = (await server.TokenAsync(CallerRole.Member, "acme")).Secret;

        foreach (var several in new[] { new[] { $"Bearer {valid}", $"Bearer {valid}" }, [$"Bearer {valid}, Bearer {valid}"] })
        {
            var detail = await RefusedAsync(server.Client, several, "error=\"invalid_request\"");
            Assert.Contains("more than one Authorization header", detail, StringComparison.Ordinal);
            Assert.DoesNotContain("unknown, expired or revoked", detail, StringComparison.Ordinal);
        }

        var basic = await RefusedAsync(server.Client, ["Basic YWRtaW46YWRtaW4="], challengeParameter: null);
        Assert.Contains("not a Bearer token", basic, StringComparison.Ordinal);

        var unknown = await RefusedAsync(server.Client, [$"Bearer ipam_{Guid.NewGuid():N}_{valid[^43..]}"], "error=\"invalid_token\"");
        Assert.Equal("The token is unknown, expired or revoked.", unknown);

        var missing = await RefusedAsync(server.Client, [], challengeParameter: null);
        Assert.Contains("Send an API token", missing, StringComparison.Ordinal);

        Assert.Equal(200, (int)(await GetAsync(server.Client, "/v1/subnets", valid)).StatusCode);
    }

    /// <summary>Sends <paramref name="authorization"/> as the request's Authorization header values; returns the 401's detail.</summary>
    private static async Task<string> RefusedAsync(HttpClient client, string[] authorization, string? challengeParameter)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/subnets");
        if (authorization.Length > 0)
        {
            Assert.True(request.Headers.TryAddWithoutValidation("Authorization", authorization));
        }

        using var response = await client.SendAsync(request);
        var problem = await IpamServer.ExpectProblemAsync(response, 401, "unauthenticated");
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal(("Bearer", challengeParameter), (challenge.Scheme, challenge.Parameter));
        return (string)problem["detail"]!;
    }
}
