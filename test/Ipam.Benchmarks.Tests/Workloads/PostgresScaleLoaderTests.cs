using Ipam.Api.Hosting;
using Ipam.Benchmarks.Harness;
using Npgsql;

namespace Ipam.Benchmarks.Tests.Workloads;

/// <summary>
/// The loader's tests on a fresh database of a throwaway cluster (keys dropped and created again, binary COPY,
/// triggers disabled, then recounted), and that the keys it dropped are back as the migrations make them.
/// </summary>
public sealed class PostgresScaleLoaderTests : ScaleLoaderTests
{
    /// <summary>Every key, foreign key and index of the loaded tables, as the server prints it, with whether it is validated.</summary>
    private const string Schema = """
        SELECT format('%s %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid), CASE WHEN convalidated THEN 'validated' ELSE 'NOT VALID' END) FROM pg_constraint
        WHERE conrelid IN ('allocations'::regclass, 'allocation_pools'::regclass)
        UNION ALL
        SELECT format('%s %s', indexrelid::regclass, pg_get_indexdef(indexrelid)) FROM pg_index
        WHERE indrelid IN ('allocations'::regclass, 'allocation_pools'::regclass)
        ORDER BY 1
        """;

    private BenchContext? _context;

    protected override async Task<DatabaseLocation> NewDatabaseAsync(string directory)
    {
        (_context, var url) = await BenchPostgres.DatabaseAsync();
        return new DatabaseLocation(DatabaseLocation.PostgreSql, url);
    }

    [Fact]
    public async Task LoadAsync_KeysDroppedForTheLoad_AreBackAsTheMigrationsMakeThem()
    {
        var migrated = new DatabaseLocation(DatabaseLocation.PostgreSql, (await _context!.PostgresDatabaseAsync()).Url!);
        await (await IpamInstance.StartAsync(migrated, durable: false)).DisposeAsync();

        var loaded = Query(Manifest.Database, Schema);
        var expected = Query(migrated, Schema);

        Assert.Equal(expected, loaded);
        Assert.Contains(loaded, c => c.StartsWith("allocations allocations_subnet_id_fkey FOREIGN KEY (subnet_id) REFERENCES subnets(id) ON DELETE CASCADE validated", StringComparison.Ordinal));
        Assert.Contains(loaded, c => c.StartsWith("allocations allocations_pkey PRIMARY KEY (subnet_id, ip) validated", StringComparison.Ordinal));
        Assert.Contains(loaded, c => c.StartsWith("allocation_pools allocation_pools_subnet_id_fkey FOREIGN KEY", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadAsync_ThenAnAllocationOfNoSubnet_IsRefusedByTheForeignKey()
    {
        var error = Assert.Throws<PostgresException>(() => Query(Manifest.Database, """
            INSERT INTO allocations (subnet_id, ip, created_at) VALUES (gen_random_uuid(), decode(repeat('00', 16), 'hex'), now())
            """));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Equal("allocations_subnet_id_fkey", error.ConstraintName);
    }

    [Fact]
    public void LoadAsync_ThenALoadedAddressAgain_IsRefusedByThePrimaryKey()
    {
        var error = Assert.Throws<PostgresException>(() => Query(Manifest.Database, $"""
            INSERT INTO allocations (subnet_id, ip, created_at)
            SELECT subnet_id, ip, now() FROM allocations WHERE subnet_id = '{Manifest.Small[0].Id}' LIMIT 1
            """));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal("allocations_pkey", error.ConstraintName);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }
    }

    private static List<string> Query(DatabaseLocation database, string sql)
    {
        using var connection = new NpgsqlConnection(BenchContext.ConnectionString(database.Target));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
