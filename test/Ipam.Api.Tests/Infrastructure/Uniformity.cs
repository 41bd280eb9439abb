namespace Ipam.Api.Tests.Infrastructure;

/// <summary>What the uniformity tests of random allocation share: a scattered free set, and a chi-square test over it.</summary>
public static class Uniformity
{
    /// <summary>
    /// Offsets from <paramref name="first"/> up to (not including) <paramref name="end"/> taken in runs of one to three
    /// with gaps of one or two, so that the offsets left free are scattered over the whole range.
    /// </summary>
    public static HashSet<int> ScatteredTaken(int first, int end, int seed)
    {
        var taken = new HashSet<int>();
        var pattern = new Random(seed);
        for (var offset = first; offset < end;)
        {
            var run = pattern.Next(1, 4);
            for (var k = 0; k < run && offset < end; k++, offset++)
            {
                taken.Add(offset);
            }

            offset += pattern.Next(1, 3);
        }

        return taken;
    }

    /// <summary>
    /// Fails unless <paramref name="counts"/> (draws per free address, <paramref name="expected"/> on average)
    /// pass a chi-square test at the 0.999 level and every address was drawn at least once.
    /// </summary>
    public static void AssertUniform<T>(IReadOnlyDictionary<T, int> counts, int expected)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var statistic = counts.Values.Sum(c => Math.Pow(c - expected, 2) / expected);
        var critical = ChiSquareCritical(counts.Count - 1);
        Assert.True(statistic < critical, $"chi-square {statistic:F1} >= {critical:F1} with {counts.Count - 1} degrees of freedom");
        Assert.All(counts.Values, c => Assert.True(c > 0, "a free address was never chosen"));
    }

    /// <summary>The 0.999 quantile of chi-square with <paramref name="df"/> degrees of freedom (Wilson–Hilferty).</summary>
    private static double ChiSquareCritical(int df)
    {
        const double z = 3.0902;
        var a = 2.0 / (9.0 * df);
        return df * Math.Pow(1 - a + (z * Math.Sqrt(a)), 3);
    }
}
