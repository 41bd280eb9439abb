using Ipam.Api.Hosting;

namespace Ipam.Api.Tests.Hosting;

/// <summary>Background rounds: a failure is reported and the next round runs; a round cut short by the stop is no failure.</summary>
public sealed class RecurringWorkTests
{
    [Fact]
    public async Task Round_FailingBecauseTheHostStops_IsNotReportedAsAFailure()
    {
        using var work = new Rounds(failFirst: false);
        await work.StartAsync(TestContext.Current.CancellationToken);
        await work.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        await work.StopAsync(TestContext.Current.CancellationToken);

        Assert.Empty(work.Failures);
    }

    [Fact]
    public async Task Round_Failing_IsReportedAndTheNextRoundRuns()
    {
        using var work = new Rounds(failFirst: true);
        await work.StartAsync(TestContext.Current.CancellationToken);
        await work.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        await work.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal("the first round", Assert.Single(work.Failures).Message);
    }

    /// <summary>
    /// Fails its first round if told to; the round after that signals <see cref="Started"/> and waits until the stop,
    /// then fails as a store call does when its caller stops waiting.
    /// </summary>
    private sealed class Rounds(bool failFirst) : RecurringWork(TimeProvider.System)
    {
        private int _round;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<Exception> Failures { get; } = [];

        protected override TimeSpan Interval => TimeSpan.FromMilliseconds(10);

        protected override async Task RunRoundAsync(CancellationToken stoppingToken)
        {
            if (_round++ == 0 && failFirst)
            {
                throw new InvalidOperationException("the first round");
            }

            Started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                throw new InvalidOperationException("The caller stopped waiting.");
            }
        }

        protected override void OnFailed(Exception exception) => Failures.Add(exception);
    }
}
