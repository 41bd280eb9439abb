using Ipam.Allocations;

namespace Ipam.Core.Tests.Allocations.Strategies;

/// <summary>Answers the scripted values in order and records the bound of every draw.</summary>
internal sealed class ScriptedRandomSource(params UInt128[] values) : IRandomSource
{
    private readonly Queue<UInt128> _values = new(values);

    public List<UInt128> Bounds { get; } = [];

    public UInt128 NextBelow(UInt128 bound)
    {
        Bounds.Add(bound);
        var value = _values.Dequeue();
        Assert.True(value < bound, $"Scripted {value} is not below the bound {bound}.");
        return value;
    }
}
