using System.Net;
using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Faults;

/// <summary>
/// The SQLite file deleted or another file renamed over it, or its WAL deleted, while the server runs: the server would go on
/// writing to a file nothing will open again, so it refuses every write from then on and stops answering ready.
/// </summary>
public sealed class SqliteFileMovedTests
{
    [Fact]
    public async Task Allocate_AfterTheFileWasDeleted_Refused_AndNotReady()
    {
        await using var server = await IpamServer.StartAsync();
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.95.0.0/24" }))["id"]!;
        await server.AllocateAsync(id);

        File.Delete(server.DatabasePath);

        await ExpectRefusedAsync(server, id);
        await server.Client.GetAsync($"/v1/subnets/{id}/allocations");
        Assert.False(File.Exists(server.DatabasePath), "a reader created an empty database in the deleted file's place");
    }

    [Fact]
    public async Task Allocate_AfterAnotherFileWasRenamedOverIt_Refused_AndNotReady()
    {
        await using var server = await IpamServer.StartAsync();
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.95.1.0/24" }))["id"]!;
        await server.AllocateAsync(id);
        var other = server.DatabasePath + ".other";
        File.Copy(server.DatabasePath, other);

        File.Move(other, server.DatabasePath, overwrite: true);

        await ExpectRefusedAsync(server, id);
    }

    [Fact]
    public async Task Allocate_AfterTheWalWasDeleted_Refused_AndNotReady()
    {
        await using var server = await IpamServer.StartAsync();
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.95.2.0/24" }))["id"]!;
        await server.AllocateAsync(id);

        File.Delete(server.DatabasePath + "-wal");

        await ExpectRefusedAsync(server, id);
    }

    private static async Task ExpectRefusedAsync(IpamServer server, string subnetId)
    {
        var refused = await server.Client.PostAsJsonAsync($"/v1/subnets/{subnetId}/allocations", new { });
        await StoreFailures.ExpectGenericAsync(server, refused);
        Assert.Contains(server.Logs.Entries, e => e.Exception?.Message.Contains("was deleted or replaced while the server ran", StringComparison.Ordinal) == true);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Client.GetAsync("/readyz")).StatusCode);
    }
}
