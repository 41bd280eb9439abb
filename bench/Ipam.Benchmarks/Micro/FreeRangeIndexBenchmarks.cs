using BenchmarkDotNet.Attributes;
using Ipam.Addressing;
using Ipam.Allocations;

namespace Ipam.Benchmarks.Micro;

/// <summary>
/// The free-range index of one subnet's pools (an IPv4 /8) holding a given number of free ranges. Every
/// benchmark leaves the index as it found it (a take is followed by the matching release), so every call
/// sees the same tree; the figures are for the pair.
/// </summary>
/// <remarks>Public and unsealed: BenchmarkDotNet derives its runner from a benchmark class.</remarks>
[MemoryDiagnoser]
public class FreeRangeIndexBenchmarks
{
    private FreeRangeIndex _index = null!;
    private SeededRandomSource _random = null!;
    private IpAddress _free;
    private IpAddress _taken;
    private UInt128 _rank;

    /// <summary>How many free ranges the index holds: an empty subnet, and one after many random allocations.</summary>
    [Params(1, 1_000, 100_000)]
    public int FreeRanges { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var pools = RangeSet.Of(new AddressRange(IpAddress.Parse("10.0.0.1"), IpAddress.Parse("10.255.255.254")));
        var stride = pools.Count / (UInt128)FreeRanges;
        var allocated = Enumerable.Range(1, FreeRanges - 1).Select(i => pools.ElementAt(stride * (UInt128)i));
        _index = new FreeRangeIndex(pools, allocated);
        _random = new SeededRandomSource(64);
        _rank = _index.FreeCount * 3 / 4;
        _free = Returned(_index.TakeAt(_index.FreeCount / 4));
        _taken = _index.TakeAt(_index.FreeCount / 2);
    }

    [Benchmark, AllocationBudget(0)]
    public IpAddress PickRandom() => Returned(_index.TakeAt(_random.NextBelow(_index.FreeCount)));

    [Benchmark, AllocationBudget(0)]
    public IpAddress PickLowest() => Returned(_index.TakeLowest());

    /// <summary>The k-th free address (a fixed k, three quarters up): the descent a pick makes, without the random draw.</summary>
    [Benchmark, AllocationBudget(0)]
    public IpAddress TakeKth() => Returned(_index.TakeAt(_rank));

    /// <summary>A specific address inside a free range: the range splits in two, then merges back.</summary>
    [Benchmark, AllocationBudget(0)]
    public bool TakeSpecific() => _index.Remove(_free) && _index.Add(_free);

    /// <summary>An allocated address between two free ranges: they merge into one, then split again.</summary>
    [Benchmark, AllocationBudget(0)]
    public bool Release() => _index.Add(_taken) && _index.Remove(_taken);

    [Benchmark, AllocationBudget(0)]
    public bool IsFree() => _index.IsFree(_free);

    /// <summary>Gives a taken address back, so that the next call finds the same tree.</summary>
    private IpAddress Returned(IpAddress address)
    {
        _index.Add(address);
        return address;
    }
}
