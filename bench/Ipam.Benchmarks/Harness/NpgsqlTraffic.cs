namespace Ipam.Benchmarks.Harness;

/// <summary>
/// Commands Npgsql executed in this process, the bytes it wrote and read, and the seconds its commands took from
/// sending to the last row read (see <see cref="NpgsqlCommandCounter"/>).
/// </summary>
internal sealed record NpgsqlTraffic(long Commands, long BytesWritten, long BytesRead, double CommandSeconds = 0)
{
    public static NpgsqlTraffic None { get; } = new(0, 0, 0);

    public NpgsqlTraffic Since(NpgsqlTraffic before) =>
        new(Commands - before.Commands, BytesWritten - before.BytesWritten, BytesRead - before.BytesRead, CommandSeconds - before.CommandSeconds);
}
