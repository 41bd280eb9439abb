using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Ipam.Api.Observability;

/// <summary>
/// The service's own instruments (Prometheus names: <c>ipam_http_requests_total</c>,
/// <c>ipam_http_request_duration_seconds</c>, <c>ipam_allocations_total</c>); the stores add theirs
/// (<see cref="Storage.Sql.StoreTelemetry"/>) and <see cref="SubnetUtilisation"/> the fullest subnets.
/// </summary>
internal sealed class IpamMetrics
{
    public const string MeterName = "Ipam.Api";

    /// <summary>The methods counted by name; any other is counted as "other", so that clients cannot add series.</summary>
    private static readonly FrozenSet<string> KnownMethods = FrozenSet.Create(
        HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete, HttpMethods.Options);

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _allocations;

    public IpamMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _requests = Meter.CreateCounter<long>(
            "ipam.http.requests", "{request}",
            "HTTP requests answered, by route, method, status class and code: the problem code of a failure ('http-<status>' when it has none), 'none' for success.");
        _duration = Meter.CreateHistogram<double>(
            "ipam.http.request.duration", "s", "Time from a request's arrival to its answer, by route, method and status class.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _allocations = Meter.CreateCounter<long>(
            "ipam.allocations", "{request}", "Allocation requests by strategy (random, next, specific, eui64, other) and outcome ('allocated', 'replayed' for an Idempotency-Key's remembered result, or the problem code).");
    }

    public Meter Meter { get; }

    public void RequestAnswered(RequestOutcome outcome, string method, int status, TimeSpan duration)
    {
        var route = new KeyValuePair<string, object?>("route", outcome.Route ?? "unmatched");
        var verb = new KeyValuePair<string, object?>("method", KnownMethods.Contains(method) ? method : "other");
        var statusClass = new KeyValuePair<string, object?>("status_class", StatusClass(status));
        _requests.Add(1, route, verb, statusClass, new KeyValuePair<string, object?>("code", CodeOf(outcome, status)));
        _duration.Record(duration.TotalSeconds, route, verb, statusClass);
        if (outcome is { AllocationStrategy: { } strategy, AllocationOutcome: { } allocation })
        {
            _allocations.Add(1, new KeyValuePair<string, object?>("strategy", strategy), new KeyValuePair<string, object?>("outcome", allocation));
        }
    }

    /// <summary>The code label: 'none' only for success; a failure without a problem code is named by its status.</summary>
    private static string CodeOf(RequestOutcome outcome, int status) =>
        outcome.ProblemCode ?? (status >= StatusCodes.Status400BadRequest ? string.Create(CultureInfo.InvariantCulture, $"http-{status}") : "none");

    private static string StatusClass(int status) => status switch
    {
        < 200 => "1xx",
        < 300 => "2xx",
        < 400 => "3xx",
        < 500 => "4xx",
        _ => "5xx",
    };
}
