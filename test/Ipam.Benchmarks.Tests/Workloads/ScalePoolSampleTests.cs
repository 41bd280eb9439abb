using Ipam.Addressing;
using Ipam.Benchmarks.Workloads;

namespace Ipam.Benchmarks.Tests.Workloads;

public sealed class ScalePoolSampleTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(90)]
    [InlineData(200)]
    [InlineData(233)]
    public void Draw_TwoPools_ExactlyTheCountAscendingInsideThePoolsWithTheFreeRangesLeft(int count)
    {
        AddressRange[] pools = [Range("10.0.0.2", "10.0.0.99"), Range("10.0.0.120", "10.0.0.254")];
        var drawn = new List<IpAddress>();

        var freeRanges = ScalePoolSample.Draw(pools, count, new Random(count), drawn.Add);

        Assert.Equal(count, drawn.Count);
        Assert.Equal(drawn.Order(), drawn);
        Assert.Equal(count, drawn.Distinct().Count());
        Assert.All(drawn, a => Assert.Contains(pools, p => p.Contains(a)));
        Assert.Equal(FreeRanges(pools, [.. drawn]), freeRanges);
    }

    [Fact]
    public void Draw_MoreThanThePoolsHold_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ScalePoolSample.Draw([Range("10.0.0.2", "10.0.0.3")], 3, new Random(1), _ => { }));
    }

    private static AddressRange Range(string first, string last) => new(IpAddress.Parse(first), IpAddress.Parse(last));

    /// <summary>Maximal runs of free addresses inside each pool, counted address by address.</summary>
    private static long FreeRanges(AddressRange[] pools, HashSet<IpAddress> taken)
    {
        var ranges = 0L;
        foreach (var pool in pools)
        {
            var inRun = false;
            for (var value = pool.First.Value; value <= pool.Last.Value; value++)
            {
                var free = !taken.Contains(new IpAddress(pool.Version, value));
                ranges += free && !inRun ? 1 : 0;
                inRun = free;
            }
        }

        return ranges;
    }
}
