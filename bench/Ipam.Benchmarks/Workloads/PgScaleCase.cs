using Ipam.Addressing;

namespace Ipam.Benchmarks.Workloads;

/// <summary>What the clients allocate: by <paramref name="Strategy"/>, in one shared /12 or spread over the sixteen /16s of one.</summary>
internal sealed record PgScaleCase(string Strategy, int Subnets)
{
    public string Label => Subnets == 1 ? $"{Strategy}, one shared /12" : $"{Strategy}, {Subnets} /16s";

    /// <summary>The subnets of this case in the <paramref name="block"/>-th /12 from 10.0.0.0 on (a fresh block for every run).</summary>
    public IEnumerable<Cidr> Cidrs(int block)
    {
        var (first, second) = (10 + (block / 16), block % 16 * 16);
        return Subnets == 1
            ? [Cidr.Parse($"{first}.{second}.0.0/12")]
            : Enumerable.Range(0, Subnets).Select(i => Cidr.Parse($"{first}.{second + i}.0.0/16"));
    }
}
