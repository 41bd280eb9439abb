using CsCheck;
using Ipam.Caching;

namespace Ipam.Core.Tests.Caching;

/// <summary>A cache with a memory budget: least recently used values go first, and the byte count stays exact.</summary>
public sealed class RevisionCacheBudgetTests
{
    [Fact]
    public async Task OverBudget_DropsTheLeastRecentlyUsed_KeepsTheOnesJustUsed()
    {
        var cache = new RevisionCache<int, Sized>(new CacheBudget<Sized>(300, value => value.Bytes));
        await BuildAsync(cache, 1, 100);
        await BuildAsync(cache, 2, 100);
        await BuildAsync(cache, 3, 100);
        Assert.True(cache.TryGet(1, 1, out _));

        await BuildAsync(cache, 4, 100);

        // Over 300: dropped down to 270, oldest first; 2 was used longest ago, then 3.
        Assert.False(cache.TryGet(2, 1, out _));
        Assert.False(cache.TryGet(3, 1, out _));
        Assert.True(cache.TryGet(1, 1, out _));
        Assert.True(cache.TryGet(4, 1, out _));
        Assert.Equal(200, cache.Bytes);
    }

    [Fact]
    public async Task ValueGrowingInPlace_MeasuredWhenUsed_OthersMakeRoom()
    {
        var cache = new RevisionCache<int, Sized>(new CacheBudget<Sized>(1_000, value => value.Bytes));
        await BuildAsync(cache, 1, 400);
        var growing = await BuildAsync(cache, 2, 400);

        growing.Bytes = 900;
        Assert.True(cache.TryGet(2, 1, out _));

        Assert.False(cache.TryGet(1, 1, out _));
        Assert.Equal(900, cache.Bytes);
    }

    [Fact]
    public async Task ValueLargerThanTheBudget_StaysWhileUsed()
    {
        var cache = new RevisionCache<int, Sized>(new CacheBudget<Sized>(100, value => value.Bytes));

        await BuildAsync(cache, 1, 500);

        Assert.True(cache.TryGet(1, 1, out _));
        Assert.Equal(500, cache.Bytes);
    }

    private enum OpKind
    {
        Build,
        Touch,
        Grow,
        Invalidate,
    }

    /// <summary>
    /// Random builds, uses, growth and invalidations: the byte count is always the sum of what the cached values
    /// measured when last used, and after any use it is within the budget unless one value alone exceeds it.
    /// </summary>
    [Fact]
    public void Operations_RandomSequences_ByteCountMatchesTheCachedValues()
    {
        Gen.Select(Gen.Enum<OpKind>(), Gen.Int[0, 7], Gen.Int[1, 400]).Array[1, 100].Sample(ops =>
        {
            const long budget = 1_000;
            var cache = new RevisionCache<int, Sized>(new CacheBudget<Sized>(budget, value => value.Bytes));
            var measured = new Dictionary<int, long>();
            foreach (var (kind, key, bytes) in ops)
            {
                switch (kind)
                {
                    case OpKind.Build:
                        cache.BuildAsync(key, 1, bytes, (b, _) => ValueTask.FromResult(new Sized { Bytes = b }), default).AsTask().Wait();
                        break;
                    case OpKind.Touch:
                        cache.TryGet(key, 1, out _);
                        break;
                    case OpKind.Grow when cache.TryGetAny(key, out var value):
                        value.Bytes = bytes;
                        break;
                    case OpKind.Invalidate:
                        cache.Invalidate(key);
                        break;
                }

                measured.Clear();
                for (var k = 0; k <= 7; k++)
                {
                    // TryGetAny does not measure: the sum is of the values' sizes as last measured, kept on the side.
                    if (cache.TryGetAny(k, out var v))
                    {
                        measured[k] = v.Bytes;
                    }
                }

                if (kind is OpKind.Build or OpKind.Touch && measured.Count > 1)
                {
                    Assert.True(cache.Bytes <= budget, $"{cache.Bytes} bytes cached over a budget of {budget}");
                }
            }

            // Using every value measures it again: then the count is exactly their sum.
            foreach (var key in measured.Keys)
            {
                cache.TryGet(key, 1, out _);
            }

            var left = Enumerable.Range(0, 8).Select(k => cache.TryGetAny(k, out var v) ? v.Bytes : 0).Sum();
            Assert.Equal(left, cache.Bytes);
        });
    }

    /// <summary>Builds, uses and drops of a few keys from many threads at once leave no bytes counted for values no longer cached.</summary>
    [Fact]
    public async Task ConcurrentBuildsUsesAndDrops_ByteCountMatchesTheCachedValues()
    {
        var cache = new RevisionCache<int, Sized>(new CacheBudget<Sized>(2_000, value => value.Bytes));
        var workers = Enumerable.Range(0, 8).Select(seed => Task.Run(async () =>
        {
            var random = new Random(seed);
            for (var i = 0; i < 20_000; i++)
            {
                var key = random.Next(6);
                switch (random.Next(3))
                {
                    case 0:
                        await BuildAsync(cache, key, random.Next(1, 600));
                        break;
                    case 1:
                        cache.TryGet(key, 1, out _);
                        break;
                    default:
                        cache.Invalidate(key);
                        break;
                }
            }
        }, TestContext.Current.CancellationToken));
        await Task.WhenAll(workers);

        var cached = Enumerable.Range(0, 6).Select(k => cache.TryGetAny(k, out var v) ? v.Bytes : 0).Sum();
        Assert.Equal(cached, cache.Bytes);
    }

    private static ValueTask<Sized> BuildAsync(RevisionCache<int, Sized> cache, int key, long bytes) =>
        cache.BuildAsync(key, 1, bytes, (b, _) => ValueTask.FromResult(new Sized { Bytes = b }), default);

    private sealed class Sized
    {
        public long Bytes { get; set; }
    }
}
