using CsCheck;
using Ipam.Allocations;

namespace Ipam.Core.Tests.Allocations;

public sealed class SeededRandomSourceTests
{
    [Fact]
    public void NextBelow_RandomBounds_StaysBelowBound()
    {
        var bound = Gen.OneOf(
            Gen.UInt128.Where(b => b > 0),
            Gen.Int[0, 127].Select(shift => UInt128.One << shift),
            Gen.Int[0, 127].Select(shift => (UInt128.One << shift) + 1),
            Gen.ULong[1, 1000].Select(b => (UInt128)b));
        Gen.Select(bound, Gen.Int).Sample((b, seed) =>
        {
            var source = new SeededRandomSource(seed);
            for (var i = 0; i < 50; i++)
            {
                Assert.True(source.NextBelow(b) < b);
            }
        }, iter: 2000);
    }

    [Fact]
    public void NextBelow_ExtremeBounds_StaysBelowBound()
    {
        var source = new SeededRandomSource(7);
        UInt128[] bounds = [UInt128.MaxValue, UInt128.MaxValue - 1, (UInt128.One << 127) + 1, UInt128.One << 127, 2];
        foreach (var bound in bounds)
        {
            for (var i = 0; i < 1000; i++)
            {
                Assert.True(source.NextBelow(bound) < bound);
            }
        }

        Assert.Equal(UInt128.Zero, source.NextBelow(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.NextBelow(0));
    }

    [Fact]
    public void NextBelow_SameSeed_GivesSameSequence()
    {
        var a = new SeededRandomSource(99);
        var b = new SeededRandomSource(99);
        var bound = UInt128.MaxValue / 3;

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(a.NextBelow(bound), b.NextBelow(bound));
        }
    }

    [Fact]
    public void NextBelow_Ten_IsUniformByChiSquare()
    {
        // 9 degrees of freedom: P(chi-square > 27.88) = 0.001 for a uniform source.
        var counts = Draw(new SeededRandomSource(12345), 10, 100_000, value => (int)value);

        Assert.True(ChiSquare(counts) < 27.88, $"chi-square {ChiSquare(counts)} for counts {string.Join(", ", counts)}");
    }

    [Fact]
    public void NextBelow_HugeBoundNotAPowerOfTwo_IsUniformAcrossThirds()
    {
        // bound = 3 * 2^126: the three buckets [k * 2^126, (k + 1) * 2^126) are equally likely. A modulo
        // reduction of a 128-bit draw would put half the mass in the first bucket.
        // 2 degrees of freedom: P(chi-square > 13.82) = 0.001.
        var third = UInt128.One << 126;
        var counts = Draw(new SeededRandomSource(4242), 3, 30_000, value => (int)(value / third), 3 * third);

        Assert.True(ChiSquare(counts) < 13.82, $"chi-square {ChiSquare(counts)} for counts {string.Join(", ", counts)}");
    }

    private static long[] Draw(SeededRandomSource source, int buckets, int draws, Func<UInt128, int> bucketOf, UInt128? bound = null)
    {
        var counts = new long[buckets];
        for (var i = 0; i < draws; i++)
        {
            counts[bucketOf(source.NextBelow(bound ?? (UInt128)buckets))]++;
        }

        return counts;
    }

    private static double ChiSquare(long[] counts)
    {
        var expected = (double)counts.Sum() / counts.Length;
        return counts.Sum(observed => (observed - expected) * (observed - expected) / expected);
    }
}
