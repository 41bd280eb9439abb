using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;

namespace Ipam.Api.Tests.Faults;

/// <summary>
/// The SQLite file's file system frozen (fsfreeze) while the server runs, as a disk that stalls: every write blocks
/// until it thaws. Requests are still answered at their deadline, the probe says the database is unavailable, and
/// what the answers said holds once the disk moves again.
/// </summary>
public sealed class FrozenDiskTests
{
    private const string TimedOut = "The request did not complete in time; nothing was changed. Retry later.";

    /// <summary>Only so that the test fails instead of hanging when an answer waits for the thaw.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Allocate_FileSystemFrozen_AnsweredWhileFrozen_NotReady_AndTheAnswersHoldAfterTheThaw()
    {
        await using var disk = await FreezableFileSystem.MountAsync();
        await using var server = await IpamServer.StartAsync(
            sqliteDirectory: disk.Directory, configure: options => options with { RequestTimeout = TimeSpan.FromSeconds(2) });
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.96.0.0/24" }))["id"]!;
        var before = (string)(await server.AllocateAsync(id))["ip_address"]!;
        using var client = new HttpClient { BaseAddress = server.Client.BaseAddress, Timeout = Guard };

        HttpResponseMessage[] writes;
        HttpResponseMessage ready;
        await disk.FreezeAsync();
        try
        {
            // The first transaction is stuck in the file system, in its commit (its writes' outcome is unknown) or
            // before it began any (they are abandoned); a write that did not get into it waits and never starts.
            writes = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { })));
            ready = await client.GetAsync("/readyz");
        }
        finally
        {
            await disk.ThawAsync();
        }

        var details = new List<string>();
        foreach (var write in writes)
        {
            var detail = (string)(await IpamServer.ExpectProblemAsync(write, 503, "store-unavailable"))["detail"]!;
            Assert.Contains(detail, new[] { StoreFailures.OutcomeUnknown, TimedOut });
            details.Add(detail);
        }

        foreach (var unknown in writes.Where((_, i) => details[i] == StoreFailures.OutcomeUnknown))
        {
            await StoreFailures.ExpectGenericAsync(server, unknown);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);

        // Thawed, the stuck transaction goes on: the writes whose outcome was unknown were made, those that timed out not.
        await WaitUntilReadyAsync(client);
        var rows = await ListAsync(server, id);
        Assert.Equal(1 + details.Count(d => d == StoreFailures.OutcomeUnknown), rows.Count);
        Assert.Contains(before, rows);

        // The index knows the addresses those writes took: the next allocation is another one.
        var after = (string)(await server.AllocateAsync(id))["ip_address"]!;
        Assert.DoesNotContain(after, rows);
        Assert.Equal(rows.Count + 1, await Database.CountAllocationsAsync(server, id));
    }

    private static async Task WaitUntilReadyAsync(HttpClient client)
    {
        // The probe's ping that was under way when the disk thawed finishes first; the next one finds the store well.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if ((await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("the server did not answer ready after the file system thawed");
    }

    private static async Task<List<string>> ListAsync(IpamServer server, string subnetId)
    {
        var page = await server.Client.GetFromJsonAsync<JsonObject>($"/v1/subnets/{subnetId}/allocations");
        return page!["items"]!.AsArray().Select(a => (string)a!["ip_address"]!).ToList();
    }
}
