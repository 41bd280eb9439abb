namespace Ipam.Storage.Tests;

/// <summary>A clock that always reads the same instant, to see that a registered TimeProvider reaches the services.</summary>
internal sealed class StoppedClock : TimeProvider
{
    public static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}
