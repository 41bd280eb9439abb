using System.Diagnostics;
using Npgsql;

namespace Ipam.Benchmarks;

/// <summary>
/// PostgreSQL's own limit on this machine: clients each committing single-row INSERT transactions
/// (synchronous_commit on) into a table shaped like Ipam's allocations, on the same server and database.
/// </summary>
internal sealed class RawPostgresProbe(string connectionString)
{
    private long _next;

    public async Task PrepareAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand(
            "CREATE TABLE IF NOT EXISTS raw_inserts (subnet_id uuid NOT NULL, ip bytea NOT NULL, created_at timestamptz NOT NULL, PRIMARY KEY (subnet_id, ip))",
            connection);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>Commits as many single-row transactions as <paramref name="clients"/> can in <paramref name="duration"/>; returns commits/s.</summary>
    public async Task<double> MeasureAsync(int clients, TimeSpan duration)
    {
        var subnet = Guid.NewGuid();
        var deadline = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO raw_inserts (subnet_id, ip, created_at) VALUES ($1, $2, now())", connection);
            insert.Parameters.AddWithValue(subnet);
            var ip = insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
            await insert.PrepareAsync();
            var done = 0;
            while (deadline.Elapsed < duration)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                insert.Transaction = transaction;
                var key = new byte[16];
                System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(8), Interlocked.Increment(ref _next));
                ip.Value = key;
                await insert.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
                done++;
            }

            return done;
        }));
        return counts.Sum() / deadline.Elapsed.TotalSeconds;
    }
}
