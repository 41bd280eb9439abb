using Ipam.Allocations;

namespace Ipam.Core.Tests.Allocations;

/// <summary>Concurrent first requests to a subnet share one build of its index; a later one builds again.</summary>
public sealed class FreeSpaceBuildOnceTests
{
    [Fact]
    public async Task BuildOnce_ConcurrentCallers_ShareOneBuild_ThenTheNextCallBuildsAgain()
    {
        var cache = new FreeSpaceCache(TimeProvider.System);
        var subnet = Guid.NewGuid();
        var release = new TaskCompletionSource();
        var builds = 0;
        Func<Task> build = async () =>
        {
            Interlocked.Increment(ref builds);
            await release.Task;
        };

        var first = cache.BuildOnceAsync(subnet, build);
        var second = cache.BuildOnceAsync(subnet, build);
        var otherSubnet = cache.BuildOnceAsync(Guid.NewGuid(), () => Task.CompletedTask);
        await otherSubnet;
        Assert.False(first.IsCompleted);
        release.SetResult();
        await Task.WhenAll(first, second);
        Assert.Equal(1, builds);

        await cache.BuildOnceAsync(subnet, build);
        Assert.Equal(2, builds);
    }

    [Fact]
    public async Task BuildOnce_BuildFails_EveryWaiterSeesTheFailure_AndTheNextCallBuildsAgain()
    {
        var cache = new FreeSpaceCache(TimeProvider.System);
        var subnet = Guid.NewGuid();
        var release = new TaskCompletionSource();
        var first = cache.BuildOnceAsync(subnet, async () =>
        {
            await release.Task;
            throw new InvalidOperationException("the database went away");
        });
        var second = cache.BuildOnceAsync(subnet, () => throw new InvalidOperationException("not run"));
        release.SetResult();

        Assert.Equal("the database went away", (await Assert.ThrowsAsync<InvalidOperationException>(() => first)).Message);
        Assert.Equal("the database went away", (await Assert.ThrowsAsync<InvalidOperationException>(() => second)).Message);
        var built = false;
        await cache.BuildOnceAsync(subnet, () =>
        {
            built = true;
            return Task.CompletedTask;
        });
        Assert.True(built);
    }
}
