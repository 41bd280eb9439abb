using System.Collections.Concurrent;
using System.Diagnostics;
using Ipam.Storage.Sql.GroupCommit;

namespace Ipam.Storage.Tests.GroupCommit;

public sealed class BatchCompanionsTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public void After_a_lone_request_the_next_batch_does_not_wait()
    {
        var companions = new BatchCompanions(Long);
        companions.Started(1);

        Assert.True(Elapsed(() => companions.WaitFor(new ConcurrentQueue<QueuedWrite>(), 256)) < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task After_a_batch_of_several_the_next_waits_until_as_many_are_queued()
    {
        var companions = new BatchCompanions(Long);
        companions.Started(3);
        var queue = new ConcurrentQueue<QueuedWrite>();
        var elapsed = Stopwatch.StartNew();
        var feeder = Task.Run(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                await Task.Delay(100);
                queue.Enqueue(Write());
            }
        });

        companions.WaitFor(queue, 256);

        Assert.Equal(3, queue.Count);
        Assert.InRange(elapsed.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
        await feeder;
    }

    [Fact]
    public void The_wait_ends_when_its_time_is_up_even_if_fewer_came()
    {
        var companions = new BatchCompanions(TimeSpan.FromMilliseconds(200));
        companions.Started(8);
        var queue = new ConcurrentQueue<QueuedWrite>([Write()]);

        Assert.InRange(Elapsed(() => companions.WaitFor(queue, 256)), TimeSpan.FromMilliseconds(190), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void It_waits_for_no_more_than_a_batch_can_take()
    {
        var companions = new BatchCompanions(Long);
        companions.Started(50);
        var queue = new ConcurrentQueue<QueuedWrite>([Write(), Write()]);

        Assert.True(Elapsed(() => companions.WaitFor(queue, maxBatchSize: 2)) < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_zero_wait_never_waits()
    {
        var companions = new BatchCompanions(TimeSpan.Zero);
        companions.Started(8);

        Assert.True(Elapsed(() => companions.WaitFor(new ConcurrentQueue<QueuedWrite>(), 256)) < TimeSpan.FromSeconds(5));
    }

    private static QueuedWrite Write() => new QueuedWrite<bool>((_, _) => ValueTask.FromResult(true), CancellationToken.None);

    private static TimeSpan Elapsed(Action action)
    {
        var stopwatch = Stopwatch.StartNew();
        action();
        return stopwatch.Elapsed;
    }
}
