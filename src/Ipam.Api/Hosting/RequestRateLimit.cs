using System.Net;
using System.Threading.RateLimiting;

namespace Ipam.Api.Hosting;

/// <summary>
/// At most N requests per second per token (a token bucket holding one second's worth, so short bursts pass);
/// callers without a token are counted by remote address. Over the limit: 429 <c>rate-limited</c> with Retry-After.
/// </summary>
internal static class RequestRateLimit
{
    public static IServiceCollection AddRequestRateLimit(this IServiceCollection services, int perSecond) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(PartitionOf(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.OnRejected = async (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
                var context = rejected.HttpContext;
                context.Response.Headers[HeaderNames.RetryAfter] = Math.Ceiling(retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await context.RequestServices.GetRequiredService<AuthProblems>().WriteAsync(context, AuthProblems.RateLimited(retryAfter));
            };
        });

    /// <summary>The token's id; for anonymous callers (no token, or one refused) their remote address.</summary>
    public static string PartitionOf(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && context.User.FindFirst(CallerClaims.Actor)?.Value is { } actor && actor != Actors.Anonymous
            ? actor
            : "address:" + (context.Connection.RemoteIpAddress ?? IPAddress.None);
}
