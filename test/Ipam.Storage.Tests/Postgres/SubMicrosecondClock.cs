namespace Ipam.Storage.Tests.Postgres;

/// <summary>A clock that always reads an instant between two microseconds, nearer the later one.</summary>
internal sealed class SubMicrosecondClock : TimeProvider
{
    public static readonly DateTimeOffset Now = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1_234_567);

    public override DateTimeOffset GetUtcNow() => Now;
}
