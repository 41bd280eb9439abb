using Ipam.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ipam.Api.Health;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", Healthz).WithTags("Health").WithSummary("200 while the process is up.");
        routes.MapGet("/readyz", Readyz).WithTags("Health").WithSummary("200 when the database answers, 503 otherwise.");
        return routes;
    }

    public static Ok<HealthDto> Healthz() => TypedResults.Ok(new HealthDto("ok"));

    public static async Task<Results<Ok<HealthDto>, JsonHttpResult<HealthDto>>> Readyz(IIpamStore store, CancellationToken cancellationToken) =>
        await store.PingAsync(cancellationToken)
            ? TypedResults.Ok(new HealthDto("ready"))
            : TypedResults.Json(new HealthDto("database unavailable"), statusCode: StatusCodes.Status503ServiceUnavailable);

    public sealed record HealthDto(string Status);
}
