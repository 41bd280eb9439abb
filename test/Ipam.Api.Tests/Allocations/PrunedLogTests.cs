using System.Net;
using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Storage;
using Ipam.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ipam.Api.Tests.Allocations;

/// <summary>
/// An index that has not looked at the log for longer than the log is sure to keep changes is rebuilt from
/// the database rather than caught up: otherwise a release pruned from the log before it was read would stay
/// unseen, and the subnet would look fuller than it is.
/// </summary>
public abstract class PrunedLogTests(StoreKind store) : ServerOnClockTests<ManualClock>(store, new ManualClock(new DateTimeOffset(2030, 6, 1, 0, 0, 0, TimeSpan.Zero)))
{
    [Fact]
    public async Task IdleIndex_ReleaseMissingFromThePrunedLog_StillSeen()
    {
        var server = Server;
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.180.0.0/29" }))["id"]!;
        for (var i = 0; i < 5; i++)
        {
            await server.AllocateAsync(id, new { strategy = "next" });
        }

        await IpamServer.ExpectProblemAsync(await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { }), 409, "pool-exhausted");
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync($"/v1/subnets/{id}/allocations/10.180.0.4")).StatusCode);

        // The release is pruned before this instance's index read it, as a long idle instance would find.
        var store = server.Services.GetRequiredService<IIpamStore>();
        await store.WriteAsync((session, ct) => session.PruneChangesBeforeAsync(Clock.GetUtcNow().AddDays(1), 1000, ct), TestContext.Current.CancellationToken);
        Clock.Advance(TimeSpan.FromHours(7));

        Assert.Equal("10.180.0.4", (string?)(await server.AllocateAsync(id, new { strategy = "next" }))["ip_address"]);
    }
}

public sealed class PrunedLogTestsOnSqlite() : PrunedLogTests(StoreKind.Sqlite);

public sealed class PrunedLogTestsOnPostgres() : PrunedLogTests(StoreKind.Postgres);
