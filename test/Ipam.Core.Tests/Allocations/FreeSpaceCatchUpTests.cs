using CsCheck;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Changes;
using Ipam.Subnets;

namespace Ipam.Core.Tests.Allocations;

/// <summary>
/// A free-space index built from the database at some point and caught up from the change log in overlapping
/// pieces ends up exactly as the database is after the last change, cooldown included: the property every
/// instance relies on to answer as one would.
/// </summary>
public sealed class FreeSpaceCatchUpTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Cidr Network = Cidr.Parse("10.9.0.0/26");

    /// <summary>A valid history (an allocation only of a free address, a release only of an allocated one), a build point, pieces, a cooldown.</summary>
    private static readonly Gen<(int[] Steps, int Build, int RowsSeen, int[] Cuts, int Cooldown)> HistoryGen =
        from steps in Gen.Int[0, 63].Array[0, 300]
        from build in Gen.Int[0, 300]
        from rowsSeen in Gen.Int[0, 40]
        from cuts in Gen.Int[0, 300].Array[0, 6]
        from cooldown in Gen.Int[0, 3].Select(i => new[] { 0, 0, 30, 200 }[i])
        select (steps, build, rowsSeen, cuts, cooldown);

    [Fact]
    public void CatchUp_FromAnyBuildPoint_InOverlappingPieces_MatchesTheDatabase()
    {
        HistoryGen.Sample(scenario =>
        {
            var changes = History(scenario.Steps);
            var subnet = new Subnet
            {
                Id = Guid.NewGuid(),
                Cidr = Network,
                AllocationPools = [Network.Range],
                CreatedAt = Start,
                ReuseCooldownSeconds = scenario.Cooldown,
            };
            var now = Start.AddSeconds(changes.Count + 1);

            // The watermark is read first; the rows a moment later may already show some later changes.
            var watermark = Math.Min(scenario.Build, changes.Count);
            var rowsAt = Math.Min(watermark + scenario.RowsSeen, changes.Count);
            var space = new FreeSpace(subnet, new FreeRangeIndex(subnet.PoolSet, AllocatedAfter(changes, rowsAt)), watermark);
            space.HoldBackRecentReleases(
                [.. changes.Take(rowsAt).Where(c => ChangeTypes.EndsAllocation(c.Type) && c.At >= now.AddSeconds(-scenario.Cooldown))], now);

            var from = watermark;
            List<Change> previous = [];
            foreach (var cut in scenario.Cuts.Order().Append(changes.Count))
            {
                // Each piece starts at or before where the last one ended, as concurrent readers' lists do, and
                // a slower reader's older list may arrive after a newer one.
                var end = Math.Max(from, Math.Min(cut, changes.Count));
                List<Change> piece = [.. changes.Skip(Math.Max(0, from - 3)).Take(end - Math.Max(0, from - 3))];
                piece.ForEach(c => space.Apply(c, now));
                previous.ForEach(c => space.Apply(c, now));
                previous = piece;
                from = end;
            }

            space.Thaw(now);
            Assert.Equal(Available(changes, now, scenario.Cooldown), space.Index.FreeRanges().SelectMany(Addresses));
            Assert.Equal(changes.Count, space.Watermark);
        }, iter: 300);
    }

    /// <summary>
    /// A unit picks addresses from an index caught up to some change and rolls back: the picks are returned only when
    /// nothing was applied to the index since, and then the rest of the log, in which other writers may take the very
    /// addresses picked, leaves the index exactly as the database.
    /// </summary>
    [Fact]
    public void ReturnedPicks_ThenTheRestOfTheLog_MatchTheDatabase()
    {
        var gen =
            from steps in Gen.Int[0, 63].Array[1, 200]
            from build in Gen.Int[0, 200]
            from picks in Gen.Int[0, 63].Array[0, 4]
            from appliedBefore in Gen.Int[0, 3]
            select (steps, build, picks, appliedBefore);
        gen.Sample(scenario =>
        {
            var changes = History(scenario.steps);
            var subnet = new Subnet { Id = Guid.NewGuid(), Cidr = Network, AllocationPools = [Network.Range], CreatedAt = Start };
            var now = Start.AddSeconds(changes.Count + 1);
            var watermark = Math.Min(scenario.build, changes.Count);
            var space = new FreeSpace(subnet, new FreeRangeIndex(subnet.PoolSet, AllocatedAfter(changes, watermark)), watermark);
            List<IpAddress> picked = [.. scenario.picks.Select(p => Network.First.Add((uint)p)).Distinct().Where(space.Index.Remove)];
            var freeAfterPicks = space.Index.FreeRanges().ToList();

            var before = changes.Skip(watermark).Take(scenario.appliedBefore).ToList();
            before.ForEach(c => space.Apply(c, now));
            var freeBeforeReturn = space.Index.FreeRanges().ToList();

            var returned = space.TryReturn(watermark, picked);

            Assert.Equal(before.Count == 0, returned);
            if (!returned)
            {
                Assert.Equal(freeBeforeReturn, space.Index.FreeRanges());
                return;
            }

            Assert.Equal(Available(changes.Take(watermark).ToList(), now, 0), space.Index.FreeRanges().SelectMany(Addresses));
            Assert.NotEqual(picked.Count > 0, freeAfterPicks.SequenceEqual(space.Index.FreeRanges()));
            changes.Skip(watermark).ToList().ForEach(c => space.Apply(c, now));
            Assert.Equal(Available(changes, now, 0), space.Index.FreeRanges().SelectMany(Addresses));
        }, iter: 300);
    }

    private static List<Change> History(int[] steps)
    {
        var allocated = new HashSet<int>();
        var changes = new List<Change>();
        foreach (var offset in steps)
        {
            var type = allocated.Add(offset) ? ChangeTypes.AllocationCreated : ChangeTypes.AllocationReleased;
            if (type == ChangeTypes.AllocationReleased)
            {
                allocated.Remove(offset);
            }

            changes.Add(new Change
            {
                Sequence = changes.Count + 1,
                Type = type,
                At = Start.AddSeconds(changes.Count + 1),
                Actor = "test",
                Address = Network.First.Add((uint)offset),
            });
        }

        return changes;
    }

    private static List<IpAddress> AllocatedAfter(List<Change> changes, int count)
    {
        var allocated = new SortedSet<IpAddress>();
        foreach (var change in changes.Take(count))
        {
            if (change.Type == ChangeTypes.AllocationCreated)
            {
                allocated.Add(change.Address!.Value);
            }
            else
            {
                allocated.Remove(change.Address!.Value);
            }
        }

        return [.. allocated];
    }

    /// <summary>Free after every change and not released less than the cooldown before <paramref name="now"/>.</summary>
    private static List<IpAddress> Available(List<Change> changes, DateTimeOffset now, int cooldown)
    {
        var allocated = AllocatedAfter(changes, changes.Count).ToHashSet();
        var lastRelease = changes.Where(c => c.Type == ChangeTypes.AllocationReleased).GroupBy(c => c.Address!.Value).ToDictionary(g => g.Key, g => g.Max(c => c.At));
        return [.. Addresses(Network.Range).Where(a => !allocated.Contains(a)
            && !(lastRelease.TryGetValue(a, out var at) && at.AddSeconds(cooldown) > now))];
    }

    private static IEnumerable<IpAddress> Addresses(AddressRange range)
    {
        for (var a = range.First; ; a = a.Add(1u))
        {
            yield return a;
            if (a == range.Last)
            {
                yield break;
            }
        }
    }
}
