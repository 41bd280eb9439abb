using System.Diagnostics;

namespace Ipam.Api.Observability;

/// <summary>Counts and times every request, refused ones included: the outer part first, the route once routing chose one.</summary>
internal static class RequestMetrics
{
    /// <summary>The outermost middleware: records the answer when everything inside is done.</summary>
    public static IApplicationBuilder UseRequestMetrics(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<IpamMetrics>();
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            var outcome = new RequestOutcome();
            context.Features.Set(outcome);
            try
            {
                await next(context);
            }
            finally
            {
                metrics.RequestAnswered(outcome, context.Request.Method, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
            }
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
