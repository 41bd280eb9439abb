using Ipam.Testing;

namespace Ipam.Process.Tests;

public sealed class MultiInstanceTests
{
    [Fact]
    public async Task ThreeInstancesOnePostgres_ThirtyTwoClients_DatabaseHoldsExactlyWhatWasAcknowledged()
    {
        var cluster = await SharedPostgres.GetAsync();
        var url = await cluster.CreateDatabaseUrlAsync();
        var servers = new List<ServerProcess>();
        try
        {
            // Started together: the migration lock lets one create the schema while the others wait.
            servers.AddRange(await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ServerProcess.StartAsync(url))));
            var api = servers[0].Client;
            // Small subnets so that clients collide on addresses and reach exhaustion.
            var subnets = new List<(string, string)>();
            foreach (var cidr in new[] { "10.1.0.0/26", "10.2.0.0/25", "10.3.0.0/24" })
            {
                subnets.Add((await Consistency.CreateSubnetAsync(api, cidr), cidr));
            }

            var ledger = new Ledger();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await new ClientLoad([.. servers.Select(s => s.Client)], subnets, ledger).RunAsync(32, stop.Token);

            Assert.True(ledger.Acknowledged > 100, $"only {ledger.Acknowledged} allocations acknowledged");
            Assert.True(ledger.ReleaseCount > 20, $"only {ledger.ReleaseCount} releases acknowledged");
            var stored = await StoredRows.ReadPostgresAsync(cluster.ConnectionStringFor(url));
            await Consistency.AssertAsync(ledger, stored, api, subnets.Select(s => s.Item1), exact: true);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }
}
