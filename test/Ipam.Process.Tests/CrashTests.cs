using Ipam.Testing;

namespace Ipam.Process.Tests;

/// <summary>
/// kill -9 in the middle of a stream of allocations: after a restart, every allocation a client saw
/// acknowledged is stored, nothing is stored twice, and allocation goes on without handing out a stored address.
/// </summary>
public sealed class CrashTests
{
    [Fact]
    public async Task KillDuringAllocations_Sqlite_AcknowledgedAllocationsSurvive()
    {
        var directory = Directory.CreateTempSubdirectory("ipam-crash-").FullName;
        try
        {
            var path = Path.Combine(directory, "ipam.db");
            // The test reads the rows beside the restarted server, which must let other processes read the file.
            await RunAsync($"sqlite:{path}", () => StoredRows.ReadSqliteAsync(path), "--sqlite-sharing", "readers");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task KillDuringAllocations_Postgres_AcknowledgedAllocationsSurvive()
    {
        var cluster = await SharedPostgres.GetAsync();
        var url = await cluster.CreateDatabaseUrlAsync();
        await RunAsync(url, () => StoredRows.ReadPostgresAsync(cluster.ConnectionStringFor(url)));
    }

    private static async Task RunAsync(string database, Func<Task<IReadOnlyList<Ledger.Row>>> readStored, params string[] restartOptions)
    {
        var subnets = new List<(string, string)>();
        var ledger = new Ledger();
        await using (var server = await ServerProcess.StartAsync(database))
        {
            foreach (var cidr in new[] { "10.8.0.0/24", "10.9.0.0/22" })
            {
                subnets.Add((await Consistency.CreateSubnetAsync(server.Client, cidr), cidr));
            }

            using var stop = new CancellationTokenSource();
            var load = new ClientLoad([server.Client], subnets, ledger) { ServerMayDie = true }.RunAsync(8, stop.Token);
            while (ledger.Acknowledged < 300)
            {
                await Task.Delay(10);
            }

            server.Kill();
            stop.Cancel();
            await load;
        }

        await using var restarted = await ServerProcess.StartAsync(database, restartOptions);
        var stored = await readStored();
        Assert.True(ledger.Acknowledged >= 300);
        await Consistency.AssertAsync(ledger, stored, restarted.Client, subnets.Select(s => s.Item1), exact: false);

        // The restarted server rebuilds its free-space index from the database: new allocations never collide.
        var after = new Ledger();
        using var again = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await new ClientLoad([restarted.Client], subnets, after).RunAsync(4, again.Token);
        Assert.Empty(after.Failures);
        var final = await readStored();
        Assert.DoesNotContain(final.GroupBy(r => (r.SubnetId, r.Address)), g => g.Count() > 1);
    }
}
