namespace Ipam.Api.Hosting;

/// <summary>
/// Measures how far this machine's clock is from the database server's, before the server takes requests and
/// then every <see cref="IpamHostOptions.ClockAlignmentInterval"/>, and sets <see cref="DatabaseAlignedClock"/>'s
/// offset to it. A failed measurement keeps the last offset; the next one runs as usual.
/// </summary>
internal sealed partial class ClockAlignment(
    IIpamStore store, DatabaseAlignedClock clock, IpamHostOptions options, ILogger<ClockAlignment> logger) : BackgroundService
{
    /// <summary>Offsets larger than this are worth an operator's attention: the machine's clock is wrong.</summary>
    private static readonly TimeSpan NotableOffset = TimeSpan.FromSeconds(1);

    /// <summary>False once the database said it has no clock of its own: nothing to align with then.</summary>
    private bool _databaseHasClock = true;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await AlignAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_databaseHasClock)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.ClockAlignmentInterval, options.HostClock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await AlignAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task AlignAsync(CancellationToken cancellationToken)
    {
        try
        {
            var host = options.HostClock;
            var before = host.GetUtcNow();
            var database = await store.ReadAsync((session, ct) => session.ReadDatabaseTimeAsync(ct), cancellationToken);
            if (database is not { } server)
            {
                _databaseHasClock = false;
                return;
            }

            // The server read its clock somewhere in the round trip; its middle is the best guess, and an offset
            // within half the round trip is no offset at all as far as this measurement can tell.
            var after = host.GetUtcNow();
            var offset = server - (before + ((after - before) / 2));
            if (offset.Duration() <= (after - before) / 2)
            {
                offset = TimeSpan.Zero;
            }

            if ((offset - clock.Offset).Duration() > NotableOffset && offset.Duration() > NotableOffset)
            {
                LogOffset(logger, offset.TotalSeconds);
            }

            clock.Offset = offset;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            LogFailed(logger, e, e.Message);
        }
    }

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning,
        Message = "This machine's clock is {Seconds:F3} s off the database server's; Ipam keeps the database's time")]
    private static partial void LogOffset(ILogger logger, double seconds);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "Could not read the database server's clock: {Reason}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string reason);
}
