using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;

namespace Ipam.Api.Tests.Faults;

/// <summary>PostgreSQL commits, and its answer to the COMMIT is lost on the way back (a proxy drops it).</summary>
public sealed class LostCommitReplyTests : IAsyncLifetime
{
    private const int Usable = 13;

    private CommitReplyDropper? _proxy;
    private IpamServer? _server;

    private CommitReplyDropper Proxy => _proxy!;

    private IpamServer Server => _server!;

    public async ValueTask InitializeAsync()
    {
        var cluster = await SharedPostgres.GetAsync();
        var url = new Uri(await cluster.CreateDatabaseUrlAsync());
        _proxy = CommitReplyDropper.Start(url.Port);
        // No sweeps and no usage folds: their commits must not take the lost answer meant for the request under test.
        _server = await IpamServer.StartAsync(
            store: StoreKind.Postgres,
            postgresUrl: new UriBuilder(url) { Port = _proxy.Port }.Uri.ToString(),
            configure: options => options with { ExpirySweepInterval = TimeSpan.FromHours(1), UsageFoldInterval = TimeSpan.FromHours(1) });
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }

    [Fact]
    public async Task AllocateRandom_CommitAnswerLost_503OutcomeUnknownNothingRedoneAndIndexRebuilt()
    {
        var id = (string)(await Server.CreateSubnetAsync(new { cidr = "10.90.0.0/28" }))["id"]!;
        await Server.AllocateAsync(id);

        Proxy.DropNextCommitReply();
        var lost = await Server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { });

        Assert.Equal(1, Proxy.Dropped);
        Assert.Equal(StoreFailures.OutcomeUnknown, await StoreFailures.ExpectGenericAsync(Server, lost));
        Assert.Equal(2, await Database.CountAllocationsAsync(Server, id));
        // The index counts what the database holds: every other address, then exhausted with none free.
        var rest = await Server.AllocateAsync(id, new { count = Usable - 2 });
        Assert.Equal(Usable - 2, rest["items"]!.AsArray().Count);
        var exhausted = await IpamServer.ExpectProblemAsync(
            await Server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { }), 409, "pool-exhausted");
        Assert.Equal(0, (int)exhausted["free"]!);
    }

    [Fact]
    public async Task AllocateSpecific_CommitAnswerLost_503OutcomeUnknownNotInUseByItself()
    {
        var id = (string)(await Server.CreateSubnetAsync(new { cidr = "10.91.0.0/28" }))["id"]!;

        Proxy.DropNextCommitReply();
        var lost = await Server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { ip_address = "10.91.0.5", owner = "me" });

        Assert.Equal(1, Proxy.Dropped);
        Assert.Equal(StoreFailures.OutcomeUnknown, await StoreFailures.ExpectGenericAsync(Server, lost));
        var stored = await Server.GetJsonAsync($"/v1/subnets/{id}/allocations/10.91.0.5");
        Assert.Equal("me", (string?)stored["owner"]);
        Assert.Equal(1, await Database.CountAllocationsAsync(Server, id));
    }
}
