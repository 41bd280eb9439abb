using Ipam.Storage.Sql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ipam.Api.Observability;

/// <summary>
/// Metrics, traces and the log format. Metrics are served at <c>/metrics</c> in Prometheus text format; spans are
/// exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (and then the exporter reads the other
/// standard <c>OTEL_*</c> variables itself).
/// </summary>
internal static class TelemetryRegistration
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string MetricsPath = "/metrics";

    /// <summary>ASP.NET Core's own request spans, the parents of the store spans.</summary>
    private const string AspNetCoreSource = "Microsoft.AspNetCore";

    public static WebApplicationBuilder AddIpamTelemetry(this WebApplicationBuilder builder, IpamHostOptions options)
    {
        builder.Services.AddSingleton<IpamMetrics>();
        builder.Services.AddSingleton<SubnetUtilisation>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("ipam"))
            .WithMetrics(metrics => metrics
                .AddMeter(IpamMetrics.MeterName, StoreTelemetry.Name)
                // The exporter's own response cache would hide a count for a while; scraping costs no query (see SubnetUtilisation).
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            telemetry.WithTracing(tracing => tracing.AddSource(StoreTelemetry.Name, AspNetCoreSource).AddOtlpExporter());
        }

        builder.Logging.Configure(logging => logging.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (options.LogFormat == LogFormat.Json)
        {
            builder.Logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                json.JsonWriterOptions = new JsonWriterOptions { Indented = false };
            });
        }

        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> on <paramref name="open"/> (no token needed and no rate limit, like the health probes); starts the
    /// utilisation gauge.
    /// </summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder open)
    {
        _ = open.ServiceProvider.GetRequiredService<SubnetUtilisation>();
        open.MapPrometheusScrapingEndpoint(MetricsPath).WithTags("Health").WithSummary("Metrics in Prometheus text format.").DisableRateLimiting();
        return open;
    }
}
