namespace Ipam.Api.Tests.Infrastructure;

/// <summary>Tests that start a server of their own, on <paramref name="store"/>, whose time is <paramref name="clock"/>: one per test.</summary>
public abstract class ServerOnClockTests<TClock>(StoreKind store, TClock clock) : IAsyncLifetime
    where TClock : TimeProvider
{
    private IpamServer? _server;

    protected TClock Clock { get; } = clock;

    protected IpamServer Server => _server ?? throw new InvalidOperationException("The server starts in InitializeAsync.");

    public async ValueTask InitializeAsync() => _server = await IpamServer.StartAsync(time: Clock, durableCommits: false, store: store);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
