using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using static Ipam.Api.Tests.Authentication.TokenRequests;

namespace Ipam.Api.Tests.Authentication;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Token_OverItsRate_Answers429WithRetryAfter_WhileAnotherTokenIsServed()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, authentication: true, configure: o => o with { RateLimit = 3 });
        var busy = (await server.TokenAsync(CallerRole.Reader, "acme")).Secret;
        var quiet = (await server.TokenAsync(CallerRole.Reader, "acme")).Secret;

        var statuses = new List<int>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 20 && limited is null; i++)
        {
            var response = await GetAsync(server.Client, "/v1/subnets", busy);
            statuses.Add((int)response.StatusCode);
            limited = (int)response.StatusCode == 429 ? response : null;
        }

        Assert.True(limited is not null, $"never limited: {string.Join(',', statuses)}");
        Assert.True(statuses.Count > 3, $"limited after {statuses.Count - 1} requests");
        await IpamServer.ExpectProblemAsync(limited, 429, "rate-limited");
        Assert.True(limited.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, $"Retry-After: {limited.Headers.RetryAfter}");
        Assert.Equal(200, (int)(await GetAsync(server.Client, "/v1/subnets", quiet)).StatusCode);
    }

    [Fact]
    public async Task RateLimited_Problem_HasTheMembersOfEveryOtherProblem()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, authentication: true, configure: o => o with { RateLimit = 1 });
        var token = (await server.TokenAsync(CallerRole.Reader, "acme")).Secret;

        HttpResponseMessage? limited = null;
        for (var i = 0; i < 20 && limited is null; i++)
        {
            var response = await GetAsync(server.Client, "/v1/subnets", token);
            limited = (int)response.StatusCode == 429 ? response : null;
        }

        Assert.NotNull(limited);
        var problem = await IpamServer.ExpectProblemAsync(limited, 429, "rate-limited");
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", (string?)problem["type"]);
        Assert.False(string.IsNullOrEmpty((string?)problem["trace_id"]), problem.ToJsonString());
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/metrics")]
    public async Task Probe_InABurst_IsNeverRateLimited(string path)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, authentication: true, configure: o => o with { RateLimit = 2 });

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ => (int)(await server.Client.GetAsync(path)).StatusCode));

        Assert.All(statuses, s => Assert.Equal(200, s));
        var others = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ => (int)(await server.Client.GetAsync("/v1/subnets")).StatusCode));
        Assert.Contains(429, others);
    }
}
