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

    public static async Task<Results<Ok<HealthDto>, JsonHttpResult<HealthDto>>> Readyz(HttpContext context, IIpamStore store, CancellationToken cancellationToken)
    {
        if (await AnswersInTimeAsync(store, cancellationToken))
        {
            return TypedResults.Ok(new HealthDto("ready"));
        }

        // Not a problem document (probes read the status), but counted as the failure it is.
        RequestOutcome.NoteCode(context, ErrorCodes.StoreUnavailable);
        return TypedResults.Json(new HealthDto("database unavailable"), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>
    /// The store's ping, given up after <see cref="ReadinessTimeout"/>; also stops waiting for a ping that
    /// does not heed cancellation (a database that accepted the connection and then stopped answering).
    /// </summary>
    private static async Task<bool> AnswersInTimeAsync(IIpamStore store, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ReadinessTimeout);
        try
        {
            return await store.PingAsync(deadline.Token).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public sealed record HealthDto(string Status);
}
