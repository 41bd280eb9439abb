using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Authentication;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using Microsoft.Data.Sqlite;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Backup;

/// <summary>
/// <c>GET /v1/backup</c> on SQLite: a copy of the database as of one moment, taken while allocations go on, that
/// another server serves as it was; nothing of the copy is left beside the database; only admins may take one.
/// </summary>
public sealed class BackupTests : IDisposable
{
    private readonly string _copyDirectory = Directory.CreateTempSubdirectory("ipam-backup-copy-").FullName;

    public void Dispose() => Directory.Delete(_copyDirectory, recursive: true);

    [Fact]
    public async Task Backup_WhileAllocationsGoOn_IsOneMomentThatAnotherServerServes()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = Id(await server.CreateSubnetAsync(new { cidr = "10.70.0.0/20" }));
        await IpamServer.ExpectAsync(await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { count = 100 }, TestContext.Current.CancellationToken), 201);
        var released = (string)(await server.AllocateAsync(id))["ip_address"]!;
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync($"/v1/subnets/{id}/allocations/{released}")).StatusCode);

        using var stop = new CancellationTokenSource();
        var writing = AllocateUntilAsync(server, id, stop.Token);
        using var response = await server.Client.GetAsync("/v1/backup", TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        var allocatedMeanwhile = await writing;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.sqlite3", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(@"^ipam-\d{8}T\d{6}Z\.db$", response.Content.Headers.ContentDisposition?.FileName);
        await File.WriteAllBytesAsync(Path.Combine(_copyDirectory, "ipam.db"), await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken),
            TestContext.Current.CancellationToken);
        Assert.True(allocatedMeanwhile > 0, "allocations went on while the copy was taken");
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(server.DatabasePath)!, "*.backup-*"));
        Assert.Equal("ok", IntegrityOf(Path.Combine(_copyDirectory, "ipam.db")));

        var live = await AddressesAsync(server, id);
        await using var restored = await IpamServer.StartAsync(durableCommits: false, sqliteDirectory: _copyDirectory);
        var copied = await AddressesAsync(restored, id);
        Assert.InRange(copied.Count, 100, live.Count);
        Assert.Subset(live.ToHashSet(), copied.ToHashSet());
        Assert.DoesNotContain(released, copied);

        // One moment: the copy's change log accounts for exactly its rows, and its usage counters agree.
        var events = await EventsAsync(restored);
        var created = events.Where(e => (string?)e["type"] == "allocation.created").Select(e => (string)e["ip_address"]!).ToList();
        var releases = events.Where(e => (string?)e["type"] == "allocation.released").Select(e => (string)e["ip_address"]!).ToList();
        Assert.Equal([released], releases);
        Assert.Equal(copied.Count + 1, created.Count);
        Assert.Equal(copied.Count, (long)(await restored.GetJsonAsync($"/v1/subnets/{id}"))["usage"]!["allocated"]!);
        Assert.Empty((await restored.GetJsonAsync("/v1/usage-check"))["mismatches"]!.AsArray());

        // The restored server goes on where the copy ended.
        var next = await restored.AllocateAsync(id);
        Assert.DoesNotContain((string)next["ip_address"]!, copied);
    }

    [Fact]
    public async Task Backup_NeedsAnAdmin()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, authentication: true);
        var member = await server.TokenAsync(CallerRole.Member, "tenant-a");
        var reader = await server.TokenAsync(CallerRole.Reader, "tenant-a");
        var admin = await server.TokenAsync(CallerRole.Admin, null);

        await TokenRequests.ExpectUnauthenticatedAsync(await TokenRequests.GetAsync(server.Client, "/v1/backup", null));
        await IpamServer.ExpectProblemAsync(await TokenRequests.GetAsync(server.Client, "/v1/backup", member.Secret), 403, "forbidden");
        await IpamServer.ExpectProblemAsync(await TokenRequests.GetAsync(server.Client, "/v1/backup", reader.Secret), 403, "forbidden");
        using var allowed = await TokenRequests.GetAsync(server.Client, "/v1/backup", admin.Secret);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    private static async Task<int> AllocateUntilAsync(IpamServer server, string id, CancellationToken stop)
    {
        var allocated = 0;
        while (!stop.IsCancellationRequested)
        {
            // Each request runs to its answer, so everything allocated is acknowledged when this returns.
            await server.AllocateAsync(id);
            allocated++;
        }

        return allocated;
    }

    private static async Task<List<string>> AddressesAsync(IpamServer server, string id)
    {
        var page = await server.GetJsonAsync($"/v1/subnets/{id}/allocations?limit=1000");
        Assert.Null(page["next"]);
        return [.. page["items"]!.AsArray().Select(a => (string)a!["ip_address"]!)];
    }

    private static async Task<List<JsonObject>> EventsAsync(IpamServer server)
    {
        var page = await server.GetJsonAsync("/v1/events?limit=1000");
        return [.. page["items"]!.AsArray().Select(e => e!.AsObject())];
    }

    private static string? IntegrityOf(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return command.ExecuteScalar() as string;
    }
}

/// <summary>PostgreSQL has its own backup tools; the server says so instead of copying anything.</summary>
public abstract class BackupRefusedTests(ApiFixture api)
{
    [Fact]
    public async Task Backup_OnPostgres_IsNotSupportedAndNamesPgDump()
    {
        var problem = await IpamServer.ExpectProblemAsync(await api.Client.GetAsync("/v1/backup", TestContext.Current.CancellationToken), 501, "not-supported");

        Assert.Contains("pg_dump", (string)problem["detail"]!, StringComparison.Ordinal);
    }
}

public sealed class BackupRefusedTestsOnPostgres(PostgresApiFixture api) : BackupRefusedTests(api), IClassFixture<PostgresApiFixture>;

public sealed class BackupRefusedTestsOnThreeInstances(ThreeInstancesApiFixture api) : BackupRefusedTests(api), IClassFixture<ThreeInstancesApiFixture>;
