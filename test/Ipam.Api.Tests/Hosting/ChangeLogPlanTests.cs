using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Storage.Postgres;
using Ipam.Storage.Sqlite;
using Ipam.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ipam.Api.Tests.Hosting;

/// <summary>
/// The reads of the change log that requests make by subnet, address and tenant read their indexes, on a log that
/// holds 100,000 changes of another tenant: none scans the log. On PostgreSQL both plans are checked, the one made for the
/// arguments and the generic one a prepared statement may switch to after five runs.
/// </summary>
public abstract partial class ChangeLogPlanTests(StoreKind store) : IAsyncLifetime
{
    protected const int OthersChanges = 100_000;
    private static readonly Guid Subnet = Guid.NewGuid();
    private IpamServer? _server;

    private IpamServer Server => _server!;

    public async ValueTask InitializeAsync()
    {
        _server = await IpamServer.StartAsync(durableCommits: false, store: store);
        await FillLogAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task AddressHistory_ReadsTheAddressIndex_FromTheLastDeleteOfTheSubnetsId()
    {
        var plans = store == StoreKind.Sqlite
            ? [await SqlitePlanAsync(SqliteSql.Text.SelectAllocationEnds, ("$ip", "10.1.0.5"), ("$before", long.MaxValue), ("$subnet", Subnet.ToString()), ("$limit", 100))]
            : await PostgresPlansAsync(PostgresSql.Text.SelectAllocationEnds,
                ("@ip", "text", "10.1.0.5"), ("@before", "bigint", long.MaxValue), ("@subnet", "uuid", Subnet), ("@limit", "integer", 100));

        // By the address or by the subnet's ends, whichever the planner deems the fewer rows: both are a range of one index.
        Assert.All(plans, plan => AssertReadsIndexes(plan, ["changes_address", "changes_subnet_ends"], "changes_subnet_deletes"));
    }

    [Fact]
    public async Task CooldownBuild_ReadsTheSubnetsEndsIndex_FromTheLastDeleteOfItsId()
    {
        var since = DateTimeOffset.UtcNow.AddHours(-1);
        var plans = store == StoreKind.Sqlite
            ? [await SqlitePlanAsync(SqliteSql.Text.SelectRecentSubnetAllocationEnds, ("$subnet", Subnet.ToString()), ("$since", since.ToString("O", CultureInfo.InvariantCulture)))]
            : await PostgresPlansAsync(PostgresSql.Text.SelectRecentSubnetAllocationEnds, ("$1", "uuid", Subnet), ("$2", "timestamptz", since));

        Assert.All(plans, plan => AssertReadsIndexes(plan, ["changes_subnet_ends"], "changes_subnet_deletes"));
    }

    /// <summary>
    /// A page of the events feed for a caller limited to one tenant (or an admin who names one): the statement every
    /// page, long-poll look and stream look sends, from the reader's position however long it stays there. It reads the
    /// tenant's own changes from changes_tenant, from (tenant, position) on, never the other tenant's 100,000 after the
    /// position, nor its own before it.
    /// </summary>
    [Fact]
    public async Task EventsOfATenant_ReadTheTenantIndexFromThePosition_NotTheOtherTenantsChanges()
    {
        var plans = store == StoreKind.Sqlite
            ? [await SqlitePlanAsync(SqliteSql.Text.SelectTenantChanges, ("$tenant", "my-tenant"), ("$after", 1L), ("$limit", 100))]
            : await PostgresPlansAsync(PostgresSql.Text.SelectTenantChanges, ("@tenant", "text", "my-tenant"), ("@after", "bigint", 1L), ("@limit", "integer", 100));

        Assert.All(plans, plan => AssertReadsIndexes(plan, ["changes_tenant (tenant_id=? AND seq>?)", "Index Cond: ((ROW(tenant_id, seq) > ROW("]));
        Assert.All(plans, plan => Assert.DoesNotContain("Sort", plan, StringComparison.Ordinal));
    }

    /// <summary>A page of every tenant's changes reads the log's key from the position on.</summary>
    [Fact]
    public async Task EventsOfEveryTenant_ReadTheKeyFromThePosition()
    {
        var plans = store == StoreKind.Sqlite
            ? [await SqlitePlanAsync(SqliteSql.Text.SelectChanges, ("$after", 1L), ("$limit", 100))]
            : await PostgresPlansAsync(PostgresSql.Text.SelectChanges, ("@after", "bigint", 1L), ("@limit", "integer", 100));

        Assert.All(plans, plan => AssertReadsIndexes(plan, ["changes_pkey", "INTEGER PRIMARY KEY"]));
    }

    /// <summary>Where tail=N starts for a caller limited to a tenant: its N-th latest change, read backwards from changes_tenant.</summary>
    [Fact]
    public async Task TailOfATenant_ReadsTheTenantIndexBackwards()
    {
        var plans = store == StoreKind.Sqlite
            ? [await SqlitePlanAsync(SqliteSql.Text.SelectTenantTailStart, ("$tenant", "my-tenant"), ("$count", 10))]
            : await PostgresPlansAsync(PostgresSql.Text.SelectTenantTailStart, ("@tenant", "text", "my-tenant"), ("@count", "integer", 10));

        Assert.All(plans, plan => AssertReadsIndexes(plan, ["COVERING INDEX changes_tenant (tenant_id=?)", "Index Only Scan Backward using changes_tenant"]));
        Assert.All(plans, plan => Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal));
    }

    /// <summary>
    /// Where tail=N starts for a caller who sees every change: read backwards on the key, N + 1 rows. SQLite names that
    /// a scan of the table; it is one in key order (no temporary B-tree sorts it), which the limit stops.
    /// </summary>
    [Fact]
    public async Task TailOfEveryTenant_ReadsTheKeyBackwards()
    {
        if (store == StoreKind.Sqlite)
        {
            Assert.Equal("SCAN changes", await SqlitePlanAsync(SqliteSql.Text.SelectTailStart, ("@count", 10)));
            return;
        }

        var plans = await PostgresPlansAsync(PostgresSql.Text.SelectTailStart, ("@count", "integer", 10));

        Assert.All(plans, plan => AssertReadsIndexes(plan, ["Index Only Scan Backward using changes_pkey"]));
    }

    /// <summary>The plan reads one of <paramref name="oneOf"/>, each of <paramref name="all"/>, and never the whole change log.</summary>
    protected static void AssertReadsIndexes(string plan, string[] oneOf, params string[] all)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(plan + "\n");
        Assert.True(oneOf.Any(index => plan.Contains(index, StringComparison.Ordinal)), $"The plan reads none of {string.Join(", ", oneOf)}:\n{plan}");
        foreach (var index in all)
        {
            Assert.True(plan.Contains(index, StringComparison.Ordinal), $"The plan does not read {index}:\n{plan}");
        }

        Assert.False(FullScan().IsMatch(plan), $"The plan scans the change log:\n{plan}");
    }

    /// <summary>
    /// 100,000 changes of another tenant (subnets, allocations and their ends, in 500 subnets and over 1,000
    /// addresses), one of this test's subnet, which was deleted since, and statistics of the table as PostgreSQL's
    /// autovacuum keeps them.
    /// </summary>
    private async Task FillLogAsync()
    {
        const string Rows = """
            SELECT {0}, CASE i % 4 WHEN 0 THEN 'allocation.released' WHEN 3 THEN 'subnet.updated' ELSE 'allocation.created' END,
                   'filler', 'another-tenant', {1},
                   CASE i % 4 WHEN 3 THEN NULL ELSE '10.99.' || (i % 4) || '.' || (i % 250) END
            FROM n
            """;
        if (store == StoreKind.Sqlite)
        {
            var subnets = "'00000000-0000-0000-0000-' || printf('%012d', i % 500)";
            await ExecuteAsync(
                $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {OthersChanges})
                INSERT INTO changes (at, type, actor, tenant_id, subnet_id, ip_address)
                {string.Format(CultureInfo.InvariantCulture, Rows, "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", subnets)};
                INSERT INTO changes (at, type, actor, tenant_id, subnet_id) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'subnet.deleted', 'x', 't', '{Subnet}');
                """);
            return;
        }

        var pgSubnets = "('00000000-0000-0000-0000-' || lpad((i % 500)::text, 12, '0'))::uuid";
        await ExecuteAsync(
            $"""
            WITH n(i) AS (SELECT generate_series(1, {OthersChanges}))
            INSERT INTO changes (at, type, actor, tenant_id, subnet_id, ip_address)
            {string.Format(CultureInfo.InvariantCulture, Rows, "now()", pgSubnets)};
            INSERT INTO changes (at, type, actor, tenant_id, subnet_id) VALUES (now(), 'subnet.deleted', 'x', 't', '{Subnet}');
            ANALYZE changes;
            """);
    }

    private async Task ExecuteAsync(string sql)
    {
        Assert.Null(await Database.TryExecuteAsync(Server, sql));
    }

    protected async Task<string> SqlitePlanAsync(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={Server.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await ReadPlanAsync(command.ExecuteReader(), column: 3);
    }

    /// <summary>
    /// The plan PostgreSQL makes for <paramref name="sql"/> with these arguments, and its generic plan, which a prepared
    /// statement (Npgsql prepares those run often) may use instead. Each parameter is named as <paramref name="sql"/>
    /// names it (<c>@name</c> or <c>$n</c>), with its type and a value.
    /// </summary>
    protected async Task<string[]> PostgresPlansAsync(string sql, params (string Name, string Type, object Value)[] parameters)
    {
        // Positional, so that one text serves both EXPLAIN with arguments and PREPARE.
        for (var i = 0; i < parameters.Length; i++)
        {
            var position = $"${i + 1}";
            sql = Regex.Replace(sql, Regex.Escape(parameters[i].Name) + @"\b", _ => position);
        }

        var cluster = await SharedPostgres.GetAsync();
        await using var pg = new NpgsqlConnection(cluster.ConnectionStringFor(Server.Options.Database.Target));
        await pg.OpenAsync();
        await using var custom = new NpgsqlCommand("EXPLAIN " + sql, pg);
        foreach (var (_, _, value) in parameters)
        {
            custom.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var withArguments = await ReadPlanAsync(await custom.ExecuteReaderAsync(), column: 0);
        var types = string.Join(", ", parameters.Select(p => p.Type));
        var literals = string.Join(", ", parameters.Select(p => Literal(p.Value) + "::" + p.Type));
        await using (var prepare = new NpgsqlCommand($"SET plan_cache_mode = force_generic_plan; PREPARE probe({types}) AS {sql}", pg))
        {
            await prepare.ExecuteNonQueryAsync();
        }

        await using var generic = new NpgsqlCommand($"EXPLAIN EXECUTE probe({literals})", pg);
        return [withArguments, await ReadPlanAsync(await generic.ExecuteReaderAsync(), column: 0)];
    }

    private static string Literal(object value) => value switch
    {
        string text => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'",
        Guid id => $"'{id}'",
        DateTimeOffset time => "'" + time.ToString("O", CultureInfo.InvariantCulture) + "'",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"No literal for {value.GetType()}.", nameof(value)),
    };

    private static async Task<string> ReadPlanAsync(DbDataReader reader, int column)
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

    /// <summary>A read of every row of the change log: PostgreSQL's sequential scan, SQLite's scan (of the table or an index).</summary>
    [GeneratedRegex(@"Seq Scan on changes|\bSCAN changes\b")]
    private static partial Regex FullScan();
}

public sealed class ChangeLogPlanTestsOnSqlite() : ChangeLogPlanTests(StoreKind.Sqlite)
{
    /// <summary>
    /// The fold finds the owner entries a batch of changes names by their whole key (owner, subnet, address), so its cost
    /// is the batch's, whatever the number of addresses one owner holds in one subnet. Matched by owner and subnet alone,
    /// as SQLite 3.40 plans the statement without the owner's cast, it reads all of them for each change.
    /// </summary>
    [Fact]
    public async Task UsageFold_FindsTheOwnerEntriesOfItsChangesByTheirWholeKey()
    {
        var arguments = new (string, object)[] { ("$position", OthersChanges - 1000L), ("$limit", 1000) };
        var forget = await SqlitePlanAsync(SqliteSql.ForgetMovedOwners, arguments);
        var enter = await SqlitePlanAsync(SqliteSql.EnterLatestOwners, arguments);

        AssertReadsIndexes(forget, ["SEARCH allocation_owners USING PRIMARY KEY (owner=? AND subnet_id=? AND ip=?)"]);
        AssertReadsIndexes(enter, ["SEARCH changes USING INTEGER PRIMARY KEY (rowid>?)"]);
        Assert.All(new[] { forget, enter }, plan => Assert.DoesNotContain("SCAN allocation_owners", plan, StringComparison.Ordinal));
    }
}

public sealed class ChangeLogPlanTestsOnPostgres() : ChangeLogPlanTests(StoreKind.Postgres)
{
    /// <summary>
    /// The check a presumed commit sends (SQLite sends none) reads what lies past the position by the log's key alone,
    /// in the statement: no function reads it (a function's reads are planned out of sight, and the one of migration
    /// 0016 could look for frees through the partial index of releases, reading every release in the log at every commit).
    /// </summary>
    [Fact]
    public async Task LogEndCheck_ReadsPastThePositionByTheKey_NoFunctionNorIndexOfReleases()
    {
        var plans = await PostgresPlansAsync(PostgresSql.Text.ExpectLogEnd!, ("$1", "bigint", OthersChanges - 2L), ("$2", "integer", 1000));

        Assert.All(plans, plan => AssertReadsIndexes(plan, ["Index Scan using changes_pkey on changes c"]));
        Assert.All(plans, plan => Assert.DoesNotContain("Function Scan", plan, StringComparison.Ordinal));
        Assert.All(plans, plan => Assert.DoesNotContain("changes_subnet_ends", plan, StringComparison.Ordinal));
        Assert.All(plans, plan => Assert.DoesNotContain("changes_address", plan, StringComparison.Ordinal));
    }
}
