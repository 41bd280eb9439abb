namespace Ipam.Allocations;

/// <summary>
/// Uniform integers below any 128-bit bound, by rejection sampling on the smallest covering power of two,
/// so that no residue is favoured (a plain modulo would bias toward the low end).
/// </summary>
internal sealed class SeededRandomSource : IRandomSource
{
    private readonly Random _random;
    private readonly Lock _gate = new();

    public SeededRandomSource(int seed) => _random = new Random(seed);

    private SeededRandomSource(Random random) => _random = random;

    /// <summary>An unseeded source for production use.</summary>
    public static SeededRandomSource Shared { get; } = new(new Random());

    public UInt128 NextBelow(UInt128 bound)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bound);
        if (bound == 1)
        {
            return 0;
        }

        var bits = 128 - (int)UInt128.LeadingZeroCount(bound - 1);
        var mask = bits == 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1;
        Span<byte> buffer = stackalloc byte[16];
        lock (_gate)
        {
            while (true)
            {
                _random.NextBytes(buffer);
                var candidate = System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(buffer) & mask;
                if (candidate < bound)
                {
                    return candidate;
                }
            }
        }
    }
}
