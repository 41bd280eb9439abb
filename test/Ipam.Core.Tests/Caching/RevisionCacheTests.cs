using CsCheck;
using Ipam.Caching;

namespace Ipam.Core.Tests.Caching;

public sealed class RevisionCacheTests
{
    private enum OpKind
    {
        GetOrBuild,
        Build,
        TryGet,
        TryGetAny,
        Invalidate,
        InvalidateIfCurrent,
        InvalidateIfStale,
    }

    private static readonly Gen<(OpKind Kind, int Key, long Revision)[]> OpsGen =
        Gen.Select(Gen.Enum<OpKind>(), Gen.Int[0, 3], Gen.Long[1, 3]).Array[1, 80];

    /// <summary>
    /// Every sequence of operations against a plain dictionary of (revision, value) as the model: a value is
    /// served only for the revision it was built for, building replaces, and the conditional invalidation
    /// removes only the value it names.
    /// </summary>
    [Fact]
    public void Operations_RandomSequences_MatchDictionaryModel()
    {
        OpsGen.Sample(ops =>
        {
            var cache = new RevisionCache<int, Built>();
            var model = new Dictionary<int, Built>();
            var builds = 0;
            var history = new List<Built>();
            foreach (var (kind, key, revision) in ops)
            {
                switch (kind)
                {
                    case OpKind.GetOrBuild:
                    {
                        var hit = model.TryGetValue(key, out var cached) && cached.Revision == revision;
                        var before = builds;
                        var got = cache.GetOrBuildAsync(key, revision, 0, (_, _) => ValueTask.FromResult(new Built(key, revision, ++builds)), default).AsTask().Result;
                        if (hit)
                        {
                            Assert.Same(cached, got);
                            Assert.Equal(before, builds);
                        }
                        else
                        {
                            Assert.Equal(before + 1, builds);
                            model[key] = got;
                            history.Add(got);
                        }

                        Assert.Equal((key, revision), (got.Key, got.Revision));
                        break;
                    }

                    case OpKind.Build:
                    {
                        var got = cache.BuildAsync(key, revision, 0, (_, _) => ValueTask.FromResult(new Built(key, revision, ++builds)), default).AsTask().Result;
                        Assert.Equal(builds, got.Serial);
                        model[key] = got;
                        history.Add(got);
                        break;
                    }

                    case OpKind.TryGet:
                    {
                        var found = cache.TryGet(key, revision, out var value);
                        var expected = model.TryGetValue(key, out var m) && m.Revision == revision ? m : null;
                        Assert.Equal(expected is not null, found);
                        Assert.Same(expected, value);
                        break;
                    }

                    case OpKind.TryGetAny:
                    {
                        Assert.Equal(model.ContainsKey(key), cache.TryGetAny(key, out var value));
                        Assert.Same(model.GetValueOrDefault(key), value);
                        break;
                    }

                    case OpKind.Invalidate:
                        cache.Invalidate(key);
                        model.Remove(key);
                        break;

                    case OpKind.InvalidateIfCurrent when model.TryGetValue(key, out var current):
                        cache.Invalidate(key, current);
                        model.Remove(key);
                        break;

                    case OpKind.InvalidateIfStale:
                    {
                        // A value this key held earlier (or another key's): never the cached one, so nothing changes.
                        var stale = history.LastOrDefault(b => !ReferenceEquals(b, model.GetValueOrDefault(key)));
                        if (stale is not null)
                        {
                            cache.Invalidate(key, stale);
                        }

                        break;
                    }
                }

                Assert.Equal(model.Count, cache.Count);
            }
        }, iter: 500);
    }

    [Fact]
    public async Task GetOrBuildAsync_NewerRevision_RebuildsAndServesOnlyTheNewOne()
    {
        var cache = new RevisionCache<Guid, Built>();
        var key = Guid.NewGuid();
        var first = await cache.GetOrBuildAsync(key, 1, 1, (serial, _) => ValueTask.FromResult(new Built(0, 1, serial)), default);

        var second = await cache.GetOrBuildAsync(key, 2, 2, (serial, _) => ValueTask.FromResult(new Built(0, 2, serial)), default);

        Assert.NotSame(first, second);
        Assert.False(cache.TryGet(key, 1, out _));
        Assert.True(cache.TryGet(key, 2, out var current));
        Assert.Same(second, current);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task BuildAsync_BuildFails_KeepsWhatWasCached()
    {
        var cache = new RevisionCache<int, Built>();
        var kept = await cache.BuildAsync(7, 1, 0, (_, _) => ValueTask.FromResult(new Built(7, 1, 1)), default);

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await cache.BuildAsync<int>(7, 2, 0, (_, _) => throw new InvalidOperationException("store down"), default));

        Assert.True(cache.TryGet(7, 1, out var value));
        Assert.Same(kept, value);
    }

    /// <summary>
    /// Threads building, reading and invalidating the same few keys at once: every value read is one built for
    /// the key and revision asked, and the cache never holds more keys than exist.
    /// </summary>
    [Fact]
    public void Operations_Concurrently_ServeOnlyValuesBuiltForTheKeyAndRevisionAsked()
    {
        var cache = new RevisionCache<int, Built>();
        var serial = 0;
        var op = Gen.Select(Gen.Int[0, 3], Gen.Long[1, 4], Gen.Int[0, 9]).Select(t => new Action(() =>
        {
            var (key, revision, choice) = t;
            switch (choice)
            {
                case < 6:
                    var got = cache.GetOrBuildAsync(key, revision, 0,
                        (_, _) => ValueTask.FromResult(new Built(key, revision, Interlocked.Increment(ref serial))), default).AsTask().Result;
                    Assert.Equal((key, revision), (got.Key, got.Revision));
                    break;
                case < 8:
                    if (cache.TryGet(key, revision, out var value))
                    {
                        Assert.Equal((key, revision), (value.Key, value.Revision));
                    }

                    break;
                case 8:
                    if (cache.TryGetAny(key, out var any))
                    {
                        cache.Invalidate(key, any);
                    }

                    break;
                default:
                    cache.Invalidate(key);
                    break;
            }

            Assert.InRange(cache.Count, 0, 4);
        }));

        Parallel.For(0, 8, _ =>
        {
            foreach (var action in op.Array[2_000].Single())
            {
                action();
            }
        });
    }

    private sealed record Built(int Key, long Revision, int Serial);
}
