using Ipam.Api.Observability;

namespace Ipam.Api.Hosting;

/// <summary>
/// The middleware that runs before everything else, the host filtering that the web host inserts first included, so
/// that every answer (a refused Host header too) carries the security headers and errors are problem documents.
/// </summary>
internal sealed class OuterPipeline : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseRequestMetrics();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestHeadLimits();
        next(app);
    };
}
