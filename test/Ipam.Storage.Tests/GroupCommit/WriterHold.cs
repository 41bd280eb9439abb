namespace Ipam.Storage.Tests.GroupCommit;

/// <summary>
/// A request that holds a store's only write transaction until released, so that requests queued meanwhile make
/// the next batch together.
/// </summary>
internal static class WriterHold
{
    public static async Task<(Task<bool> Blocker, TaskCompletionSource Release)> StartAsync(IIpamStore store)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = store.WriteAsync(async (_, _) =>
        {
            started.SetResult();
            await release.Task;
            return true;
        });
        await started.Task;
        return (blocker, release);
    }
}
