using System.Buffers.Binary;
using System.Diagnostics;
using Npgsql;

namespace Ipam.Benchmarks;

/// <summary>
/// PostgreSQL's own limit on this machine: clients each committing single-row INSERT transactions into a table
/// shaped like Ipam's allocations (<see cref="Table"/>), on the same server and database, with the server's
/// synchronous_commit. Each connection prepares its statement, unless <paramref name="prepared"/> says otherwise or,
/// when it says nothing, the connection string is one for a transaction pooler (what <c>pooler=transaction</c> in a
/// database URL makes of it: no automatic preparation, no reset on close): a prepared statement lives on one server
/// connection, and the pooler hands each transaction whichever it has. With <paramref name="withChangeRow"/> the
/// statement also appends a row to a copy of Ipam's change log (<see cref="ChangeTable"/>), in the same round trip,
/// as every allocation's commit does: the two rates side by side are what that record costs the server and its
/// disk, whatever the code around it. That table is copied from Ipam's, so Ipam must have migrated the database.
/// </summary>
internal sealed class RawPostgresProbe(string connectionString, bool? prepared = null, bool withChangeRow = false)
{
    /// <summary>The table both this probe and pgbench insert into: the columns and key of Ipam's allocations.</summary>
    public const string Table = "raw_allocations";

    public const string CreateTable =
        $"CREATE TABLE IF NOT EXISTS {Table} (subnet_id uuid NOT NULL, ip bytea NOT NULL, owner text NULL, created_at timestamptz NOT NULL, PRIMARY KEY (subnet_id, ip))";

    /// <summary>A copy of Ipam's <c>changes</c>: its columns, identity, key and (partial) indexes.</summary>
    public const string ChangeTable = "raw_changes";

    private readonly bool _prepared = prepared ?? !ThroughTransactionPooler(connectionString);
    private long _next;
    private long _committed;

    /// <summary>Transactions committed by <see cref="MeasureAsync"/> so far, over every call.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>The subnet id every row of this probe carries, to count them apart from other writers' rows.</summary>
    public Guid SubnetId { get; } = Guid.NewGuid();

    public async Task PrepareAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand(CreateTable, connection);
        await create.ExecuteNonQueryAsync();
        if (withChangeRow)
        {
            await using var copy = new NpgsqlCommand($"CREATE TABLE IF NOT EXISTS {ChangeTable} (LIKE changes INCLUDING ALL)", connection);
            await copy.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Commits as many single-row transactions as <paramref name="clients"/> can in <paramref name="duration"/>; returns commits/s.</summary>
    public async Task<double> MeasureAsync(int clients, TimeSpan duration)
    {
        var deadline = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => CommitUntilAsync(deadline, duration)));
        return counts.Sum() / deadline.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// One client committing single-row transactions on <paramref name="connections"/> connections in turn, as one
    /// client does through several instances: what taking turns between server processes costs by itself; commits/s.
    /// </summary>
    public async Task<double> MeasureInTurnAsync(int connections, TimeSpan duration)
    {
        var opened = new List<(NpgsqlConnection Connection, NpgsqlCommand Insert, NpgsqlParameter Ip)>();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                opened.Add(await OpenInsertAsync());
            }

            var watch = Stopwatch.StartNew();
            var done = 0;
            while (watch.Elapsed < duration)
            {
                var (connection, insert, ip) = opened[done % connections];
                await CommitOneAsync(connection, insert, ip);
                done++;
            }

            return done / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            foreach (var (connection, insert, _) in opened)
            {
                await insert.DisposeAsync();
                await connection.DisposeAsync();
            }
        }
    }

    private const string Insert = $"INSERT INTO {Table} (subnet_id, ip, owner, created_at) VALUES ($1, $2, 'probe', now())";

    /// <summary>The row Ipam appends for <c>allocation.created</c>, its size and columns, in the insert's statement.</summary>
    private const string InsertWithChangeRow = $$"""
        WITH change AS (
            INSERT INTO {{ChangeTable}} (at, type, actor, subnet_id, ip_address, cidr, after, ip)
            SELECT now(), 'allocation.created', 'anonymous', $1, a.address, '10.0.0.0/8',
                   json_build_object('owner', 'probe')::text, $2
            FROM (SELECT host(('10.0.0.0'::inet + get_byte($2, 15) + 256 * get_byte($2, 14) + 65536 * get_byte($2, 13)))) AS a(address))
        {{Insert}}
        """;

    private static bool ThroughTransactionPooler(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return builder.NoResetOnClose && builder.MaxAutoPrepare == 0;
    }

    private async Task<int> CommitUntilAsync(Stopwatch deadline, TimeSpan duration)
    {
        var (connection, insert, ip) = await OpenInsertAsync();
        await using (connection)
        await using (insert)
        {
            var done = 0;
            while (deadline.Elapsed < duration)
            {
                await CommitOneAsync(connection, insert, ip);
                done++;
            }

            return done;
        }
    }

    private async Task<(NpgsqlConnection Connection, NpgsqlCommand Insert, NpgsqlParameter Ip)> OpenInsertAsync()
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var insert = new NpgsqlCommand(withChangeRow ? InsertWithChangeRow : Insert, connection);
        insert.Parameters.AddWithValue(SubnetId);
        var ip = insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
        if (_prepared)
        {
            await insert.PrepareAsync();
        }

        return (connection, insert, ip);
    }

    private async Task CommitOneAsync(NpgsqlConnection connection, NpgsqlCommand insert, NpgsqlParameter ip)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        insert.Transaction = transaction;
        var key = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(8), Interlocked.Increment(ref _next));
        ip.Value = key;
        await insert.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        Interlocked.Increment(ref _committed);
    }
}
