using Ipam.Api.Observability;

namespace Ipam.Api.Health;

public static class HealthApi
{
    /// <summary>How long <c>/readyz</c> waits for the database: a probe must answer well within a load balancer's own timeout.</summary>
    public static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(2.5);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        // A probe is never rate-limited: a burst of them would otherwise take the instance out of its load balancer.
        routes.MapGet("/healthz", Healthz).WithTags("Health").WithSummary("200 while the process is up.").DisableRateLimiting();
        routes.MapGet("/readyz", Readyz).WithTags("Health").WithSummary("200 when the database answers in time, 503 otherwise.").DisableRateLimiting();
        return routes;
    }

    public static Ok<HealthDto> Healthz() => TypedResults.Ok(new HealthDto("ok"));

    public static async Task<Results<Ok<HealthDto>, JsonHttpResult<HealthDto>>> Readyz(HttpContext context, StorePing ping, CancellationToken cancellationToken)
    {
        if (await ping.AnswersWithinAsync(ReadinessTimeout, cancellationToken))
        {
            return TypedResults.Ok(new HealthDto("ready"));
        }

        // Not a problem document (probes read the status), but counted as the failure it is.
        RequestOutcome.NoteCode(context, ErrorCodes.StoreUnavailable);
        return TypedResults.Json(new HealthDto("database unavailable"), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    public sealed record HealthDto(string Status);
}
