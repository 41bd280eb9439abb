using System.Diagnostics;
using Xunit;

namespace Ipam.Testing;

/// <summary>
/// Waits for something that happens after the call a test made has returned (a background sweep, a span
/// stopped after the response was sent). The limit only bounds a hang; it is never the thing tested.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(20);

    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? limit = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, limit);

    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        var allowed = limit ?? DefaultLimit;
        var waited = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            Assert.True(waited.Elapsed < allowed, $"Gave up waiting for {what} after {allowed.TotalSeconds} s.");
            await Task.Delay(20).ConfigureAwait(false);
        }
    }
}
