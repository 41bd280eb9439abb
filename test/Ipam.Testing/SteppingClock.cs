namespace Ipam.Testing;

/// <summary>
/// A clock the test sets, which moves on by a fixed step at every read while <see cref="Stepping"/> is on: two reads
/// made one after the other in one request (its start, a check later on) then differ, as they do on a real clock,
/// however fast the request runs. Its timers never fire, as those of <see cref="ManualClock"/>.
/// </summary>
public sealed class SteppingClock(DateTimeOffset start, TimeSpan step) : TimeProvider
{
    private long _ticks = start.UtcTicks;
    private long _stepTicks;

    /// <summary>Whether each read moves the clock on by the step (off: the clock stands still).</summary>
    public bool Stepping
    {
        get => Interlocked.Read(ref _stepTicks) != 0;
        set => Interlocked.Exchange(ref _stepTicks, value ? step.Ticks : 0);
    }

    public override DateTimeOffset GetUtcNow()
    {
        var by = Interlocked.Read(ref _stepTicks);
        return new(Interlocked.Add(ref _ticks, by) - by, TimeSpan.Zero);
    }

    /// <summary>The time the next read answers.</summary>
    public void Set(DateTimeOffset time) => Interlocked.Exchange(ref _ticks, time.UtcTicks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new IdleTimer();

    private sealed class IdleTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
