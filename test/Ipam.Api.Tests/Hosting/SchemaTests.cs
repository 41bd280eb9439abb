using Ipam.Api.Tests.Infrastructure;
using Ipam.Storage;
using Ipam.Storage.Postgres;
using Ipam.Storage.Sqlite;
using Ipam.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ipam.Api.Tests.Hosting;

/// <summary>
/// The indexes on allocations, as migrated, and that the queries meant to use them do. Owners: PostgreSQL indexes the
/// allocations that have one; SQLite keeps them in allocation_owners, which the usage fold writes (migration 0024).
/// </summary>
public abstract class SchemaTests(StoreKind store)
{
    [Fact]
    public async Task Migrated_OwnerAndExpiryIndexes_ArePartial()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store);

        var sql = store == StoreKind.Sqlite
            ? "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '{0}' AND sql LIKE '%WHERE {1} IS NOT NULL'"
            : "SELECT count(*) FROM pg_indexes WHERE indexname = '{0}' AND indexdef LIKE '%WHERE ({1} IS NOT NULL)'";
        var ownerIndexes = store == StoreKind.Sqlite ? 0 : 1;
        Assert.Equal(ownerIndexes, await Database.ScalarAsync(server, string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, "allocations_owner", "owner")));
        Assert.Equal(1, await Database.ScalarAsync(server, string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, "allocations_expiry", "expires_at")));
        if (store == StoreKind.Sqlite)
        {
            Assert.Equal(0, await Database.ScalarAsync(server, "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'allocations' AND sql LIKE '%owner%' AND type = 'index'"));
            Assert.Equal(1, await Database.ScalarAsync(server, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'allocation_owners'"));
        }

        var migrations = EmbeddedMigrations.Load(store == StoreKind.Sqlite ? typeof(SqliteStore).Assembly : typeof(PostgresStore).Assembly).Count();
        Assert.Equal(migrations, await Database.ScalarAsync(server, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task ListByOwner_ReadsByOwner_AndFindsOnlyThatOwnersAddresses()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store);
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.70.0.0/20" }))["id"]!;
        await server.AllocateAsync(id, new { count = 2000 });
        var owned = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            owned.Add((string)(await server.AllocateAsync(id, new { owner = "port-1" }))["ip_address"]!);
        }

        await server.AllocateAsync(id, new { count = 3, owner = "port-2" });

        var page1 = await server.GetJsonAsync($"/v1/subnets/{id}/allocations?owner=port-1&limit=3");
        var page2 = await server.GetJsonAsync($"/v1/subnets/{id}/allocations?owner=port-1&limit=3&cursor={Uri.EscapeDataString((string)page1["next"]!)}");
        var listed = page1["items"]!.AsArray().Concat(page2["items"]!.AsArray()).Select(a => (string)a!["ip_address"]!).ToList();
        Assert.Equal(owned.OrderBy(ApiFixture.V4), listed);
        Assert.Null((string?)page2["next"]);

        var plan = await PlanAsync(server, id);
        if (store == StoreKind.Sqlite)
        {
            // The owner's entries by key, and only the candidates' allocations, never the subnet's every allocation.
            Assert.Contains("SEARCH allocation_owners USING PRIMARY KEY (owner=? AND subnet_id=? AND ip>?)", plan, StringComparison.Ordinal);
            Assert.Contains("SEARCH a USING PRIMARY KEY (subnet_id=? AND ip=?)", plan, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("allocations_owner", plan, StringComparison.Ordinal);
        }
    }

    private async Task<string> PlanAsync(IpamServer server, string subnetId)
    {
        if (store == StoreKind.Sqlite)
        {
            using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + SqliteSql.ListAllocationsByOwnerSql;
            command.Parameters.AddWithValue("$subnet", subnetId);
            command.Parameters.AddWithValue("$owner", "port-1");
            command.Parameters.AddWithValue("$after", Array.Empty<byte>());
            command.Parameters.AddWithValue("$limit", 100);
            return await ReadPlanAsync(command.ExecuteReader(), column: 3);
        }

        var cluster = await SharedPostgres.GetAsync();
        await using var pg = new NpgsqlConnection(cluster.ConnectionStringFor(server.Options.Database.Target));
        await pg.OpenAsync();
        await using (var analyze = new NpgsqlCommand("ANALYZE allocations", pg))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + PostgresSql.ListAllocationsByOwnerSql, pg);
        explain.Parameters.AddWithValue(Guid.Parse(subnetId));
        explain.Parameters.AddWithValue(Array.Empty<byte>());
        explain.Parameters.AddWithValue(100);
        explain.Parameters.AddWithValue("port-1");
        return await ReadPlanAsync(await explain.ExecuteReaderAsync(), column: 0);
    }

    private static async Task<string> ReadPlanAsync(System.Data.Common.DbDataReader reader, int column)
    {
        await using (reader)
        {
            var lines = new List<string>();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(column));
            }

            return string.Join('\n', lines);
        }
    }
}

public sealed class SchemaTestsOnSqlite() : SchemaTests(StoreKind.Sqlite)
{
    /// <summary>A file written by a version without migration 0003 (full owner index) opens and migrates.</summary>
    [Fact]
    public async Task DatabaseBeforePartialOwnerIndex_MigratesAndKeepsItsAllocations()
    {
        var directory = Directory.CreateTempSubdirectory("ipam-schema-tests-").FullName;
        var path = Path.Combine(directory, "old.db");
        var subnetId = Guid.NewGuid();
        try
        {
            using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                old.Open();
                Execute(old, "PRAGMA journal_mode = WAL; CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);");
                foreach (var (version, name, sql) in EmbeddedMigrations.Load(typeof(SqliteStore).Assembly).Where(m => m.Version < 3))
                {
                    Execute(old, sql);
                    Execute(old, $"INSERT INTO schema_migrations VALUES ({version}, '{name}', '2026-01-01T00:00:00.0000000Z')");
                }

                Assert.Contains("(subnet_id, owner)", Scalar(old, "SELECT sql FROM sqlite_master WHERE name = 'allocations_owner'"), StringComparison.Ordinal);
                Execute(old, $"""
                    INSERT INTO subnets (id, cidr, ip_version, network, prefix_length, created_at)
                    VALUES ('{subnetId}', '10.80.0.0/24', 4, x'0000000000000000000000000a500000', 24, '2026-01-01T00:00:00.0000000Z');
                    INSERT INTO allocations (subnet_id, ip, owner, created_at) VALUES
                        ('{subnetId}', x'0000000000000000000000000a500009', 'port-9', '2026-01-01T00:00:00.0000000Z'),
                        ('{subnetId}', x'0000000000000000000000000a500005', 'port-9', '2026-01-01T00:00:00.0000000Z'),
                        ('{subnetId}', x'0000000000000000000000000a500007', NULL, '2026-01-01T00:00:00.0000000Z');
                    """);
            }

            await using (var store = new SqliteStore(new SqliteStoreOptions { Path = path, SynchronousFull = false }))
            {
                await store.MigrateAsync();
                var owned = await store.ReadAsync((session, ct) =>
                    session.ListAllocationsAsync(new AllocationQuery { SubnetId = subnetId, Owner = "port-9" }, ct));
                Assert.Equal(["10.80.0.5", "10.80.0.9"], owned.Select(a => a.Address.ToString()));
                var all = await store.ReadAsync((session, ct) => session.ListAllocationsAsync(new AllocationQuery { SubnetId = subnetId }, ct));
                Assert.Equal(3, all.Count);
            }

            using var migrated = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            migrated.Open();
            Assert.Equal("0", Scalar(migrated, "SELECT count(*) FROM sqlite_master WHERE name = 'allocations_owner'"));
            Assert.Equal("port-9 5|port-9 9", Scalar(migrated, "SELECT group_concat(owner || ' ' || (hex(substr(ip, 16)) + 0), '|') FROM (SELECT * FROM allocation_owners ORDER BY ip)"));
            Assert.Equal(
                EmbeddedMigrations.Load(typeof(SqliteStore).Assembly).Max(m => m.Version).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Scalar(migrated, "SELECT max(version) FROM schema_migrations"));
            Assert.Equal("ok", Scalar(migrated, "PRAGMA integrity_check"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}

public sealed class SchemaTestsOnPostgres() : SchemaTests(StoreKind.Postgres)
{
    /// <summary>A database migrated by a version without migration 0003 (full owner index) migrates on start.</summary>
    [Fact]
    public async Task DatabaseBeforePartialOwnerIndex_MigratesAndKeepsItsAllocations()
    {
        var cluster = await SharedPostgres.GetAsync();
        var connectionString = cluster.ConnectionStringFor(await cluster.CreateDatabaseUrlAsync());
        var subnetId = Guid.NewGuid();
        await using (var old = new NpgsqlConnection(connectionString))
        {
            await old.OpenAsync();
            await ExecuteAsync(old, "CREATE TABLE schema_migrations (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            foreach (var (version, name, sql) in EmbeddedMigrations.Load(typeof(PostgresStore).Assembly).Where(m => m.Version < 3))
            {
                await ExecuteAsync(old, sql);
                await ExecuteAsync(old, $"INSERT INTO schema_migrations (version, name) VALUES ({version}, '{name}')");
            }

            await ExecuteAsync(old, $"""
                INSERT INTO subnets (id, cidr, ip_version, network, prefix_length, created_at)
                VALUES ('{subnetId}', '10.81.0.0/24', 4, '\x0000000000000000000000000a510000', 24, now());
                INSERT INTO allocations (subnet_id, ip, owner, created_at) VALUES
                    ('{subnetId}', '\x0000000000000000000000000a510009', 'port-9', now()),
                    ('{subnetId}', '\x0000000000000000000000000a510005', 'port-9', now()),
                    ('{subnetId}', '\x0000000000000000000000000a510007', NULL, now());
                """);
        }

        await using (var store = new PostgresStore(connectionString))
        {
            await store.MigrateAsync();
            var owned = await store.ReadAsync((session, ct) =>
                session.ListAllocationsAsync(new AllocationQuery { SubnetId = subnetId, Owner = "port-9" }, ct));
            Assert.Equal(["10.81.0.5", "10.81.0.9"], owned.Select(a => a.Address.ToString()));
        }

        await using var migrated = new NpgsqlConnection(connectionString);
        await migrated.OpenAsync();
        await using var index = new NpgsqlCommand("SELECT indexdef FROM pg_indexes WHERE indexname = 'allocations_owner'", migrated);
        Assert.EndsWith("WHERE (owner IS NOT NULL)", (string)(await index.ExecuteScalarAsync())!, StringComparison.Ordinal);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
