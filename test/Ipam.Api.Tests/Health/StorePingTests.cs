using Ipam.Api.Health;

namespace Ipam.Api.Tests.Health;

/// <summary>The readiness probe's one-at-a-time ping, driven by a ping whose answers the test chooses.</summary>
public sealed class StorePingTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Probe_JoinsAPingBegunBeforeItThatSaysNo_AsksAgainAndReportsTheFreshAnswer()
    {
        var stuck = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pings = new ScriptedPings(stuck.Task, Task.FromResult(true));
        var probe = new StorePing(pings.NextAsync);

        // The first probe gives up on a ping that hangs (a frozen database) ...
        Assert.False(await probe.AnswersWithinAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None));
        // ... the next arrives while that ping is still under way and joins it; the ping then wakes with "no".
        var second = probe.AnswersWithinAsync(Long, CancellationToken.None);
        stuck.SetResult(false);

        Assert.True(await second);
        Assert.Equal(2, pings.Started);
    }

    [Fact]
    public async Task Probe_ItsOwnPingSaysNo_ReportsNoWithoutAskingAgain()
    {
        var pings = new ScriptedPings(Task.FromResult(false), Task.FromResult(true));
        var probe = new StorePing(pings.NextAsync);

        Assert.False(await probe.AnswersWithinAsync(Long, CancellationToken.None));
        Assert.Equal(1, pings.Started);
    }

    [Fact]
    public async Task Probes_WhileAPingIsUnderWay_ShareIt()
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pings = new ScriptedPings(answer.Task, Task.FromResult(true));
        var probe = new StorePing(pings.NextAsync);

        var probes = Enumerable.Range(0, 8).Select(_ => probe.AnswersWithinAsync(Long, CancellationToken.None)).ToList();
        answer.SetResult(true);

        Assert.All(await Task.WhenAll(probes), Assert.True);
        Assert.Equal(1, pings.Started);
    }

    /// <summary>Answers the n-th ping with the n-th task given; pings past the script answer yes.</summary>
    private sealed class ScriptedPings(params Task<bool>[] answers)
    {
        private int _started;

        public int Started => Volatile.Read(ref _started);

        public Task<bool> NextAsync(CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _started);
            return n <= answers.Length ? answers[n - 1] : Task.FromResult(true);
        }
    }
}
