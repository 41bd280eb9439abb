using System.Net;
using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Storage.Postgres;
using Ipam.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Subnets;

/// <summary>
/// Subnet updates while sixteen clients allocate and release on the same subnets, on PostgreSQL. An update locks
/// its subnet for update, which every allocation's transaction holds shared; it waits for that lock in a
/// transaction of its own, holding nothing another transaction waits for. So the database never finds two
/// transactions waiting for each other: its deadlock counter stays at zero, and no request pays the
/// detection's second of waiting or fails after too many of them.
/// </summary>
public sealed class SubnetUpdatesUnderLoadTests
{
    private const int Clients = 16;
    private const int RequestsPerClient = 30;

    [Fact]
    public async Task Renames_WhileClientsAllocateAndReleaseOnTheSameSubnets_NoTransactionsDeadlock()
    {
        string database;
        // Lock waits longer than deadlock_timeout, so that a cycle of waits would be PostgreSQL's deadlock to count
        // rather than a wait running out first.
        await using (var server = await IpamServer.StartAsync(
            durableCommits: false, store: StoreKind.Postgres, services: s => s.PostConfigure<PostgresStoreOptions>(o => o.LockWait = TimeSpan.FromSeconds(5))))
        {
            database = server.Options.Database.Target;
            string[] subnets = [Id(await server.CreateSubnetAsync(new { cidr = "10.90.0.0/24" })), Id(await server.CreateSubnetAsync(new { cidr = "10.90.1.0/24" }))];
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(() => ClientAsync(server.Client, subnets, client))));
        }

        // The server is gone, so every backend has ended and reported its statistics.
        Assert.Equal(0, await DeadlocksAsync(database));
    }

    private static async Task ClientAsync(HttpClient http, string[] subnets, int client)
    {
        var random = new Random(client);
        var held = new List<(string Subnet, string Address)>();
        for (var request = 0; request < RequestsPerClient; request++)
        {
            var subnet = subnets[random.Next(subnets.Length)];
            var roll = random.Next(100);
            if (roll < 30 && held.Count > 0)
            {
                var (heldSubnet, address) = held[^1];
                held.RemoveAt(held.Count - 1);
                AssertStatus(await http.DeleteAsync($"/v1/subnets/{heldSubnet}/allocations/{address}"), HttpStatusCode.NoContent);
            }
            else if (roll < 45)
            {
                await IpamServer.ExpectAsync(await http.PatchAsJsonAsync($"/v1/subnets/{subnet}", new { name = $"renamed-by-{client}-{request}" }), 200);
            }
            else
            {
                var json = await IpamServer.ExpectAsync(await http.PostAsJsonAsync($"/v1/subnets/{subnet}/allocations", new { owner = $"client-{client}" }), 201);
                held.Add((subnet, (string)json["ip_address"]!));
            }
        }
    }

    private static async Task<long> DeadlocksAsync(string database)
    {
        var cluster = await SharedPostgres.GetAsync();
        await using var connection = new NpgsqlConnection(cluster.ConnectionStringFor(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
