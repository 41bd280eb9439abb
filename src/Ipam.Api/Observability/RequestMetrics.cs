using System.Diagnostics;
using Ipam.Storage.Sql;

namespace Ipam.Api.Observability;

/// <summary>
/// Counts and times every request, refused ones included: the outer part first, the route once routing chose one.
/// The measurements are recorded after the answer has been sent, so that they never delay it.
/// </summary>
internal static class RequestMetrics
{
    /// <summary>The outermost middleware: records the request once its answer is complete.</summary>
    public static IApplicationBuilder UseRequestMetrics(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<IpamMetrics>();
        return app.Use(async (context, next) =>
        {
            var outcome = new RequestOutcome(Stopwatch.GetTimestamp());
            context.Features.Set(outcome);
            context.Response.OnCompleted(() =>
            {
                metrics.RequestAnswered(outcome, context.Request.Method, context.Response.StatusCode, Stopwatch.GetElapsedTime(outcome.Started));
                return Task.CompletedTask;
            });

            // A store failure from here on is the request's (ipam_store_errors_total{source="request"}).
            StoreTelemetry.MarkRequestFlow();
            await next(context);
        });
    }

    /// <summary>After routing: notes the route template (bounded, unlike paths).</summary>
    public static IApplicationBuilder UseRequestRoute(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Features.Get<RequestOutcome>() is { } outcome && context.GetEndpoint() is RouteEndpoint endpoint)
        {
            outcome.Route = "/" + endpoint.RoutePattern.RawText?.TrimStart('/');
        }

        return next(context);
    });
}
