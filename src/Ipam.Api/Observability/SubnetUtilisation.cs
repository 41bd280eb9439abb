using System.Diagnostics.Metrics;
using Ipam.Subnets;

namespace Ipam.Api.Observability;

/// <summary>
/// <c>ipam_subnet_utilization_ratio</c>: the share of its allocation pools' addresses each of the
/// <see cref="Fullest"/> fullest subnets has allocated, labelled with its id and, unless the server requires tokens,
/// its CIDR: <c>/metrics</c> answers without one, and a tenant's address plan is not for anyone who asks. A scrape never queries the
/// database: it reads the last survey, and starts a new one in the background when that is older than
/// <see cref="IpamHostOptions.UtilisationSurveyInterval"/>. A survey walks the subnets a page per read transaction
/// with the same count the subnet endpoints report as usage, so its cost follows the number of subnets, at most
/// once per interval however often Prometheus scrapes.
/// </summary>
internal sealed partial class SubnetUtilisation
{
    public const int Fullest = 20;

    private const int PageSize = 500;

    private readonly IIpamStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ILogger<SubnetUtilisation> _logger;
    private readonly bool _labelCidrs;
    private volatile Survey? _last;
    private int _surveying;

    public SubnetUtilisation(IpamMetrics metrics, IIpamStore store, TimeProvider time, IpamHostOptions options, ILogger<SubnetUtilisation> logger)
    {
        _store = store;
        _time = time;
        _interval = options.UtilisationSurveyInterval;
        _logger = logger;
        _labelCidrs = !options.RequiresTokens;
        metrics.Meter.CreateObservableGauge(
            "ipam.subnet.utilization.ratio", Observe, "1",
            $"Allocated share of the allocation pools of the {Fullest} fullest subnets, from a survey at most {options.UtilisationSurveyInterval.TotalSeconds:0.#} s old.");
    }

    private IEnumerable<Measurement<double>> Observe()
    {
        var last = _last;
        if ((last is null || _time.GetUtcNow() - last.Taken >= _interval) && Interlocked.CompareExchange(ref _surveying, 1, 0) == 0)
        {
            // Off the scrape's request: its trace and caller are not the survey's, and the scrape does not wait.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(SurveyAsync);
            }
        }

        return last?.Measurements ?? [];
    }

    private async Task SurveyAsync()
    {
        try
        {
            var fullest = new PriorityQueue<Measurement<double>, (double, UInt128)>();
            Guid? after = null;
            int count;
            do
            {
                var page = await _store.ReadAsync((session, ct) => ReadPageAsync(session, after, ct));
                count = page.Count;
                foreach (var (subnet, allocated) in page)
                {
                    after = subnet.Id;
                    var total = subnet.PoolSet.Count;
                    var share = total == UInt128.Zero ? 0 : (double)allocated / (double)total;
                    var measurement = new Measurement<double>(share, Labels(subnet));
                    fullest.Enqueue(measurement, (share, allocated));
                    if (fullest.Count > Fullest)
                    {
                        fullest.Dequeue();
                    }
                }
            }
            while (count == PageSize);

            _last = new Survey(_time.GetUtcNow(), [.. fullest.UnorderedItems.Select(i => i.Element)]);
        }
#pragma warning disable CA1031 // A failed survey leaves the last one in place; the next scrape tries again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogSurveyFailed(_logger, e, e.Message);
        }
        finally
        {
            Volatile.Write(ref _surveying, 0);
        }
    }

    private KeyValuePair<string, object?>[] Labels(Subnet subnet) => _labelCidrs
        ? [new("subnet_id", subnet.Id.ToString()), new("cidr", subnet.Cidr.ToString())]
        : [new("subnet_id", subnet.Id.ToString())];

    private static async ValueTask<List<(Subnet Subnet, UInt128 Allocated)>> ReadPageAsync(IIpamSession session, Guid? after, CancellationToken cancellationToken)
    {
        var subnets = await session.ListSubnetsAsync(new SubnetQuery { After = after, Limit = PageSize }, cancellationToken);
        var usage = await session.CountAllocationsOfSubnetsAsync([.. subnets.Select(s => s.Id)], cancellationToken);
        return [.. subnets.Select(s => (s, SubnetUsage.Of(s, usage[s.Id]).Allocated))];
    }

    [LoggerMessage(EventId = 2022, Level = LogLevel.Warning, Message = "Surveying subnet utilisation for the metrics failed: {Reason}; the next scrape tries again")]
    private static partial void LogSurveyFailed(ILogger logger, Exception exception, string reason);

    private sealed record Survey(DateTimeOffset Taken, IReadOnlyList<Measurement<double>> Measurements);
}
