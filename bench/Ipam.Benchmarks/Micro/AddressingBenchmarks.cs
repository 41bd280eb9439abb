using BenchmarkDotNet.Attributes;
using Ipam.Addressing;

namespace Ipam.Benchmarks.Micro;

/// <summary>Address math: parsing and formatting addresses and CIDRs, containment, range arithmetic, range sets, EUI-64.</summary>
/// <remarks>Public and unsealed: BenchmarkDotNet derives its runner from a benchmark class.</remarks>
[MemoryDiagnoser]
public class AddressingBenchmarks
{
    private readonly char[] _buffer = new char[64];
    private readonly string _ipv4Text = "192.0.2.17";
    private readonly string _ipv6Text = "2001:db8:85a3::8a2e:370:7334";
    private readonly string _cidrText = "10.20.0.0/16";
    private readonly string _macText = "fa:16:3e:00:11:22";
    private readonly IpAddress _ipv4 = IpAddress.Parse("10.20.30.70");
    private readonly IpAddress _ipv6 = IpAddress.Parse("2001:db8:85a3::8a2e:370:7334");
    private readonly Cidr _cidr = Cidr.Parse("10.20.0.0/16");
    private readonly Cidr _prefix64 = Cidr.Parse("2001:db8:1:2::/64");
    private readonly AddressRange _range = new(IpAddress.Parse("10.0.0.1"), IpAddress.Parse("10.0.3.254"));
    private readonly MacAddress _mac = MacAddress.TryParse("fa:16:3e:00:11:22", out var mac) ? mac : default;
    private readonly RangeSet _pools = Stripes(0);
    private readonly RangeSet _other = Stripes(8);

    [Benchmark]
    [AllocationBudget(40, Why = "The System.Net.IPAddress the parser goes through; zero once IpAddress parses spans itself.")]
    public IpAddress ParseIpv4() => IpAddress.TryParse(_ipv4Text.AsSpan(), out var address) ? address : default;

    [Benchmark]
    [AllocationBudget(80, Why = "The System.Net.IPAddress (and its eight-number array) the parser goes through; zero once IpAddress parses spans itself.")]
    public IpAddress ParseIpv6() => IpAddress.TryParse(_ipv6Text.AsSpan(), out var address) ? address : default;

    [Benchmark]
    [AllocationBudget(40, Why = "The System.Net.IPAddress the address part goes through.")]
    public Cidr ParseCidr() => Cidr.TryParse(_cidrText.AsSpan(), out var cidr) ? cidr : default;

    [Benchmark]
    [AllocationBudget(576, Why = "string.Split's arrays and parts and the joined hex string; zero with a span parser.")]
    public MacAddress ParseMac() => MacAddress.TryParse(_macText, out var mac) ? mac : default;

    [Benchmark]
    [AllocationBudget(40, Why = "The System.Net.IPAddress TryFormat goes through; zero once IpAddress formats itself.")]
    public int FormatIpv4() => _ipv4.TryFormat(_buffer, out var written, default, null) ? written : 0;

    [Benchmark]
    [AllocationBudget(80, Why = "The System.Net.IPAddress (and its eight-number array) TryFormat goes through.")]
    public int FormatIpv6() => _ipv6.TryFormat(_buffer, out var written, default, null) ? written : 0;

    [Benchmark]
    [AllocationBudget(88, Why = "The 11-character string (48 B) and the System.Net.IPAddress that formats it (40 B).")]
    public string Ipv4ToString() => _ipv4.ToString();

    [Benchmark]
    [AllocationBudget(88, Why = "The 12-character string (48 B) and the System.Net.IPAddress that formats the address (40 B).")]
    public string CidrToString() => _cidr.ToString();

    [Benchmark, AllocationBudget(0)]
    public bool CidrContains() => _cidr.Contains(_ipv4);

    /// <summary>The /24 around an address, its last address and its size: the arithmetic subnetting does.</summary>
    [Benchmark, AllocationBudget(0)]
    public UInt128 CidrArithmetic() => Cidr.Containing(_ipv4, 24).Range.Count + _ipv4.Add(5).Value;

    [Benchmark]
    [AllocationBudget(3008, Why = "The list of 18 CIDRs (48 B each), grown from 4 to 32 slots.")]
    public int RangeToCidrs() => _range.ToCidrs().Count;

    [Benchmark, AllocationBudget(0)]
    public bool RangeSetContains() => _pools.Contains(_ipv4);

    [Benchmark, AllocationBudget(0)]
    public IpAddress RangeSetElementAt() => _pools.ElementAt(_pools.Count / 2);

    [Benchmark]
    [AllocationBudget(3216, Why = "The new 17-range set, built through a growing list.")]
    public RangeSet RangeSetExceptAddress() => _pools.Except(_ipv4);

    [Benchmark]
    [AllocationBudget(2744, Why = "The 32 input ranges concatenated, then the normalized 16-range result.")]
    public RangeSet RangeSetUnion() => _pools.Union(_other);

    [Benchmark]
    [AllocationBudget(1584, Why = "The 16 overlaps, built through a growing list, and the set holding them.")]
    public RangeSet RangeSetIntersect() => _pools.Intersect(_other);

    [Benchmark, AllocationBudget(0)]
    public IpAddress Eui64Address() => Eui64.AddressFor(_prefix64, _mac);

    /// <summary>Sixteen /28 pools, one every 64 addresses from 10.20.30.0 plus <paramref name="shift"/>.</summary>
    private static RangeSet Stripes(int shift) =>
        RangeSet.Of(IpVersion.V4, Enumerable.Range(0, 16).Select(i =>
        {
            var first = IpAddress.Parse("10.20.30.0").Add((UInt128)(i * 64 + shift));
            return new AddressRange(first, first.Add(15));
        }));
}
