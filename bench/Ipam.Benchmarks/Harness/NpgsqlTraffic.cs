namespace Ipam.Benchmarks.Harness;

/// <summary>Commands Npgsql executed in this process and the bytes it wrote and read (see <see cref="NpgsqlCommandCounter"/>).</summary>
internal sealed record NpgsqlTraffic(long Commands, long BytesWritten, long BytesRead)
{
    public static NpgsqlTraffic None { get; } = new(0, 0, 0);

    public NpgsqlTraffic Since(NpgsqlTraffic before) => new(Commands - before.Commands, BytesWritten - before.BytesWritten, BytesRead - before.BytesRead);
}
