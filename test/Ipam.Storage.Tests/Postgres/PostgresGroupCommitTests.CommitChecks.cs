using Ipam.Allocations;
using Ipam.Storage.Postgres;
using Ipam.Testing;
using Npgsql;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// The checks every presumed commit sends, run as statements: the subnet held at its revision and the log's end.
/// They call a PL/pgSQL function only to refuse (a call cost more than the lookups it wrapped, migrations 0025 and
/// 0026), read what other instances appended past the end by the log's key alone, and refuse with the SQLSTATE the
/// store takes for a refuted check.
/// </summary>
public sealed partial class PostgresGroupCommitTests
{
    [Fact]
    public async Task The_commit_checks_call_no_function_where_nothing_changed()
    {
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        await using var connection = await InTransactionCountingFunctionCallsAsync();
        var end = await PostgresScalar.QueryAsync(connection, "SELECT max(seq) FROM changes");

        Assert.Equal(0, await RowsAsync(connection, PostgresSql.Text.HoldSubnet!, _subnetId, await RevisionAsync(connection)));
        Assert.Equal([(end, (long?)null)], await LogEndRowsAsync(connection, end));
        Assert.Equal(0, await PostgresScalar.QueryAsync(connection, FunctionCalls));
    }

    [Fact]
    public async Task The_log_end_check_reads_creations_past_the_end_without_a_function_call()
    {
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        await using var connection = await InTransactionCountingFunctionCallsAsync();
        var end = await PostgresScalar.QueryAsync(connection, "SELECT max(seq) FROM changes");

        Assert.Equal([(end, end - 1), (end, end), (end, (long?)null)], await LogEndRowsAsync(connection, end - 2));
        Assert.Equal([(end, end - 1), (end, (long?)null)], await LogEndRowsAsync(connection, end - 2, page: 1));
        Assert.Equal(0, await PostgresScalar.QueryAsync(connection, FunctionCalls));
    }

    [Fact]
    public async Task The_log_end_check_refuses_a_release_past_the_page_it_returns()
    {
        var end = await PostgresScalar.QueryAsync(_connectionString, "SELECT coalesce(max(seq), 0) FROM changes");
        var first = await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        await _allocations.ReleaseAsync(_subnetId, first[0].Address);
        await using var connection = await InTransactionCountingFunctionCallsAsync();

        // The page (two creations) frees nothing; the release is the fourth position past the end.
        var refused = await Assert.ThrowsAsync<PostgresException>(() => LogEndRowsAsync(connection, end, page: 2));
        Assert.Equal("IP002", refused.SqlState);
    }

    [Fact]
    public async Task The_hold_refuses_another_revision_and_the_log_end_check_a_release_past_the_end()
    {
        var allocation = await _allocations.AllocateAsync(_subnetId, new AllocationRequest());
        await _allocations.ReleaseAsync(_subnetId, allocation[0].Address);
        await using var connection = await InTransactionCountingFunctionCallsAsync();
        var end = await PostgresScalar.QueryAsync(connection, "SELECT max(seq) FROM changes");
        var revision = await RevisionAsync(connection);

        var held = await Assert.ThrowsAsync<PostgresException>(() => RowsAsync(connection, PostgresSql.Text.HoldSubnet!, _subnetId, revision + 1));
        Assert.Equal("IP001", held.SqlState);

        // The error ended that transaction's use; the check runs in another.
        await using var again = await InTransactionCountingFunctionCallsAsync();
        var ended = await Assert.ThrowsAsync<PostgresException>(() => LogEndRowsAsync(again, end - 1));
        Assert.Equal("IP002", ended.SqlState);
    }

    private const string FunctionCalls =
        "SELECT coalesce(sum(pg_stat_get_xact_function_calls(oid)), 0) FROM pg_proc WHERE proname LIKE 'ipam\\_%'";

    /// <summary>A connection inside a transaction that counts its own PL/pgSQL calls (<c>pg_stat_get_xact_function_calls</c>).</summary>
    private async Task<NpgsqlConnection> InTransactionCountingFunctionCallsAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await RowsAsync(connection, "BEGIN; SET LOCAL track_functions = 'pl'");
        return connection;
    }

    private async Task<long> RevisionAsync(NpgsqlConnection connection) =>
        await PostgresScalar.QueryAsync(connection, $"SELECT revision FROM subnets WHERE id = '{_subnetId}'");

    /// <summary>The check's rows: where the log ended, and the position of each change it read past the end (null on its last row).</summary>
    private static async Task<List<(long End, long? Seq)>> LogEndRowsAsync(NpgsqlConnection connection, long expected, int page = 64)
    {
        await using var command = new NpgsqlCommand(PostgresSql.Text.ExpectLogEnd, connection) { Parameters = { new() { Value = expected }, new() { Value = page } } };
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, long?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
        }

        return rows;
    }

    private static async Task<int> RowsAsync(NpgsqlConnection connection, string sql, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
        }

        return rows;
    }
}
