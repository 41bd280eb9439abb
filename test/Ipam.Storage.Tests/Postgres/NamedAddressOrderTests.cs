using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Changes;
using Ipam.Errors;
using Ipam.Storage.Postgres;
using Ipam.Storage.Tests.GroupCommit;
using Ipam.SubnetPools;
using Ipam.Subnets;
using Ipam.Testing;
using Npgsql;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// Two instances on one database, each given the same addresses by name in one batch, one in ascending and one in
/// descending order. Run in arrival order, each transaction would hold the addresses the other waits for, and
/// PostgreSQL would break the deadlock after a second. Each batch runs its named addresses in address order, so
/// one transaction only ever waits for the other: the database's deadlock counter stays at zero.
/// </summary>
public sealed class NamedAddressOrderTests : IAsyncLifetime
{
    private const int Addresses = 60;

    private string _connectionString = "";
    private readonly List<(PostgresStore Store, AllocationService Allocations)> _instances = [];
    private Guid _subnetId;

    public async ValueTask InitializeAsync()
    {
        var cluster = await SharedPostgres.GetAsync();
        _connectionString = cluster.ConnectionStringFor(await cluster.CreateDatabaseUrlAsync());
        for (var i = 0; i < 2; i++)
        {
            // Lock waits longer than deadlock_timeout, so that a cycle of waits would be PostgreSQL's deadlock to count
            // rather than a wait running out first.
            var store = new PostgresStore(new PostgresStoreOptions
            {
                ConnectionString = _connectionString, MaxConcurrentBatches = 1, MaxBatchSize = 2 * Addresses, LockWait = TimeSpan.FromSeconds(5),
            });
            await store.MigrateAsync();
            var changes = new ChangeLog(new AnonymousCaller(), TimeProvider.System);
            _instances.Add((store, new AllocationService(store, new FreeSpaceCache(TimeProvider.System), changes, new SeededRandomSource(i), TimeProvider.System)));
        }

        var (first, _) = _instances[0];
        var subnets = new SubnetService(first, new FreeSpaceCache(TimeProvider.System), new PrefixAllocator(new PrefixIndexCache()),
            new ChangeLog(new AnonymousCaller(), TimeProvider.System), TimeProvider.System);
        _subnetId = (await subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse("10.21.0.0/24") })).Subnet.Id;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (store, _) in _instances)
        {
            await store.DisposeAsync();
        }

        _instances.Clear();
    }

    [Fact]
    public async Task Two_instances_given_the_same_addresses_in_opposite_orders_do_not_deadlock()
    {
        var hosts = Enumerable.Range(10, Addresses).ToList();
        var held = new List<(Task<bool> Blocker, TaskCompletionSource Release)>();
        foreach (var (store, _) in _instances)
        {
            held.Add(await WriterHold.StartAsync(store));
        }

        // Queued behind each instance's held transaction, so that each instance's requests make one batch.
        var ascending = hosts.Select(h => _instances[0].Allocations.AllocateAsync(_subnetId, new AllocationRequest { Address = Host(h), Owner = "ascending" })).ToList();
        var descending = Enumerable.Reverse(hosts).Select(h => _instances[1].Allocations.AllocateAsync(_subnetId, new AllocationRequest { Address = Host(h), Owner = "descending" })).ToList();
        held.ForEach(h => h.Release.SetResult());
        await Task.WhenAll(held.Select(h => h.Blocker));

        // Every address went to exactly one of them; the other was told who holds it.
        var won = new List<IpAddress>();
        foreach (var request in ascending.Concat(descending))
        {
            try
            {
                won.Add(Assert.Single(await request).Address);
            }
            catch (AddressInUseException)
            {
            }
        }

        Assert.Equal(hosts.Select(Host).Order(), won.Order());

        await DisposeAsync();
        Assert.Equal(0, await DeadlocksAsync());
    }

    private static IpAddress Host(int host) => IpAddress.Parse($"10.21.0.{host}");

    /// <summary>
    /// The database's deadlock count, once every backend of the stores has ended: a backend reports its
    /// statistics as it exits, before it leaves pg_stat_activity.
    /// </summary>
    private async Task<long> DeadlocksAsync()
    {
        var database = new NpgsqlConnectionStringBuilder(_connectionString).Database;
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        for (var attempt = 0; attempt < 200 && await ScalarAsync(connection, "SELECT count(*) FROM pg_stat_activity WHERE datname = $1", database) > 0; attempt++)
        {
            await Task.Delay(50);
        }

        return await ScalarAsync(connection, "SELECT deadlocks FROM pg_stat_database WHERE datname = $1", database);
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, string? database)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = database } } };
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
