using System.Net;
using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;

namespace Ipam.Api.Tests.Faults;

/// <summary>A SQLite database on a small file system that fills up while batches of allocations run.</summary>
public sealed class DiskFullTests
{
    private const int Usable = 20_000;

    [Fact]
    public async Task Allocate_DiskFillsMidBatch_FailedRequestsLeaveTheFreeSpaceIndexTrue()
    {
        await using var disk = await SmallFileSystem.MountAsync(megabytes: 64);
        await using var server = await IpamServer.StartAsync(sqliteDirectory: disk.Directory);
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.70.0.0/16", allocation_pools = new[] { new { start = "10.70.0.10", end = "10.70.78.41" } } }))["id"]!;
        // Builds the index of the subnet, so that the failing requests take their picks out of a cached one.
        var first = await server.AllocateAsync(id);
        await server.Client.DeleteAsync($"/v1/subnets/{id}/allocations/{(string)first["ip_address"]!}");

        await disk.FillAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Client.GetAsync("/readyz")).StatusCode);
        // Small requests that fit in SQLite's page cache, and large ones that spill it to the WAL mid-transaction.
        var counts = Enumerable.Range(0, 8).Select(i => i % 2 == 0 ? 10 : 4_000).ToList();
        var answers = await Task.WhenAll(counts.Select(count =>
            server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { count, description = new string('d', 255) })));
        disk.Free();
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/readyz")).StatusCode);

        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }));
        foreach (var failed in answers.Where(a => a.StatusCode == HttpStatusCode.ServiceUnavailable))
        {
            await StoreFailures.ExpectGenericAsync(server, failed);
        }

        var granted = answers.Select((a, i) => a.StatusCode == HttpStatusCode.Created ? counts[i] : 0).Sum();
        Assert.Equal(granted, await Database.CountAllocationsAsync(server, id));

        // Every address the database has free is handed out, and then the subnet is exhausted: no more, no fewer.
        for (var left = Usable - granted; left > 0; left -= 10_000)
        {
            await server.AllocateAsync(id, new { count = Math.Min(left, 10_000) });
        }

        var exhausted = await IpamServer.ExpectProblemAsync(
            await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { }), 409, "pool-exhausted");
        Assert.Equal(0, (int)exhausted["free"]!);
        Assert.Equal(Usable, await Database.CountAllocationsAsync(server, id));
    }
}
