using System.Diagnostics.Metrics;
using Ipam.Api.Observability;

namespace Ipam.Api.Hosting;

/// <summary>
/// Folds the change log into the usage counters (<see cref="IIpamSession.FoldUsageAsync"/>) every
/// <see cref="IpamHostOptions.UsageFoldInterval"/>: write transactions of at most
/// <see cref="IpamHostOptions.UsageFoldBatchSize"/> changes, one after another until it has caught up. Nothing
/// waits for it: a usage read adds the log past the fold to the counters, so folding only keeps that addition short.
/// Every instance runs one; the fold's position is held by one transaction at a time, so they never fold twice.
/// <c>ipam_usage_fold_lag</c> reports how far the log ran past the fold when the last round began.
/// </summary>
internal sealed partial class UsageFolder : RecurringWork
{
    private readonly IIpamStore _store;
    private readonly IpamHostOptions _options;
    private readonly ILogger<UsageFolder> _logger;
    private bool _failing;
    private long _lag = -1;

    public UsageFolder(IIpamStore store, TimeProvider time, IpamHostOptions options, IpamMetrics metrics, ILogger<UsageFolder> logger)
        : base(time)
    {
        _store = store;
        _options = options;
        _logger = logger;
        metrics.Meter.CreateObservableGauge(
            "ipam.usage.fold.lag", ObserveLag, "{change}",
            "How far the change log ran past the usage counters' fold when the fold's last round began (what a usage read adds to the counters).");
    }

    protected override TimeSpan Interval => _options.UsageFoldInterval;

    /// <summary>
    /// Not at start: nothing needs the fold to have run (reads are exact without it), and a host given a long interval
    /// then writes nothing on its own until that interval has passed.
    /// </summary>
    protected override bool RunsAtStart => false;

    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        await FoldAsync(stoppingToken);
        if (_failing)
        {
            _failing = false;
            LogResumed(_logger);
        }
    }

    /// <summary>Once per streak of failures: the interval is short, and a database that is down fails every round.</summary>
    protected override void OnFailed(Exception exception)
    {
        if (!_failing)
        {
            _failing = true;
            LogFailed(_logger, exception, exception.Message);
        }
    }

    /// <summary>Folds the whole log as it stands, batch by batch; returns how many changes it took.</summary>
    internal async Task<long> FoldAsync(CancellationToken cancellationToken)
    {
        // A read first: an idle database costs no write transaction.
        var lag = await _store.ReadAsync((session, ct) => session.FindUsageFoldLagAsync(ct), cancellationToken);
        Volatile.Write(ref _lag, lag);
        if (lag == 0)
        {
            return 0;
        }

        var limit = _options.UsageFoldBatchSize;
        long folded = 0;
        while (true)
        {
            var taken = await _store.WriteAloneAsync((session, ct) => session.FoldUsageAsync(limit, ct), cancellationToken);
            folded += taken;

            // A batch short of the limit reached the end of the log.
            if (taken < limit)
            {
                return folded;
            }
        }
    }

    /// <summary>Nothing until the first round has read the lag.</summary>
    private IEnumerable<Measurement<long>> ObserveLag() =>
        Volatile.Read(ref _lag) is var lag and >= 0 ? [new Measurement<long>(lag)] : [];

    [LoggerMessage(EventId = 2030, Level = LogLevel.Warning, Message = "Folding the change log into the usage counters failed: {Reason}; usage reads stay exact, and the fold tries again every interval")]
    private static partial void LogFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Information, Message = "Folding the change log into the usage counters works again")]
    private static partial void LogResumed(ILogger logger);
}
