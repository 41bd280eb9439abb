using Ipam.Changes;

namespace Ipam.Core.Tests.Changes;

/// <summary>
/// A commit wakes the readers of every change, and of a tenant's changes only when it holds one of that tenant's:
/// a reader of one tenant is not woken to read the log again by the commits of others, however many they make.
/// </summary>
public sealed class ChangeSignalTests
{
    [Fact]
    public void Raise_OtherTenantsAndNoTenant_WakeReadersOfEveryChangeOnly()
    {
        var signal = new ChangeSignal();
        var any = signal.Next;
        var mine = signal.NextOf("mine");

        signal.Raise([Of("theirs"), Of(null), Of("theirs")]);

        Assert.True(any.IsCompleted);
        Assert.False(mine.IsCompleted);
        Assert.Same(mine, signal.NextOf("mine"));
    }

    [Fact]
    public void Raise_ACommitWithOneOfTheTenantsChanges_WakesItsReaders_AndTheNextWaitIsNew()
    {
        var signal = new ChangeSignal();
        var mine = signal.NextOf("mine");
        var others = signal.NextOf("others");

        signal.Raise([Of("theirs"), Of("theirs"), Of("mine"), Of(null)]);

        Assert.True(mine.IsCompleted);
        Assert.False(others.IsCompleted);
        Assert.False(signal.NextOf("mine").IsCompleted);
        Assert.False(signal.Next.IsCompleted);
    }

    [Fact]
    public void Raise_ATokenRevocation_WakesTheReadersOfEveryTenant()
    {
        var signal = new ChangeSignal();
        var mine = signal.NextOf("mine");
        var others = signal.NextOf("others");

        // Each reads its own token's revocation with its tenant's changes, and must end at once.
        signal.Raise([Of(null) with { Type = ChangeTypes.TokenRevoked }]);

        Assert.True(mine.IsCompleted);
        Assert.True(others.IsCompleted);
        Assert.False(signal.NextOf("mine").IsCompleted);
    }

    private static Change Of(string? tenant) => new()
    {
        Type = ChangeTypes.AllocationCreated,
        At = DateTimeOffset.UnixEpoch,
        Actor = "test",
        TenantId = tenant,
    };
}
