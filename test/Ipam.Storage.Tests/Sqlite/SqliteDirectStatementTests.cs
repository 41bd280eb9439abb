using Ipam.Storage.Sql;
using Ipam.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ipam.Storage.Tests.Sqlite;

/// <summary>
/// Hot statements run directly on SQLite's compiled statements (bound by position) store and return what the same
/// statement run as a command does, and fall back to the command whenever they cannot.
/// </summary>
public sealed class SqliteDirectStatementTests : IDisposable
{
    private const string Insert = "INSERT INTO t (id, label, key, n) VALUES ($id, $label, $key, $n)";

    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly SqliteCommandCache _cache = new();

    public SqliteDirectStatementTests()
    {
        _connection.Open();
        Run("CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT NULL, key BLOB NULL, n INTEGER NULL)");
    }

    [Fact]
    public void An_insert_stores_each_value_as_the_command_would_and_counts_its_row()
    {
        var changed = _cache.TryExecute(_connection, Insert, Row(1, "één", [1, 2, 255], 42L));

        Assert.Equal(1, changed);
        Assert.Equal("1|één|0102FF|42|text|blob|integer", Read("SELECT id, label, hex(key), n, typeof(label), typeof(key), typeof(n) FROM t"));
    }

    [Fact]
    public void Nulls_bind_as_null_and_an_empty_array_as_an_empty_blob()
    {
        _cache.TryExecute(_connection, Insert, Row(1, null, [], null));
        _cache.TryExecute(_connection, Insert, Row(2, null, null, null));

        Assert.Equal("1|null|blob|0;2|null|null|", Read("SELECT id, typeof(label), typeof(key), length(key) FROM t ORDER BY id"));
    }

    [Fact]
    public void A_run_after_another_binds_only_its_own_values()
    {
        _cache.TryExecute(_connection, Insert, Row(1, "first", [1], 1));
        _cache.TryExecute(_connection, Insert, Row(2, null, null, null));

        Assert.Equal("1|first|01|1;2|||", Read("SELECT id, label, hex(key), n FROM t ORDER BY id"));
    }

    [Fact]
    public void A_query_returns_the_first_row_of_its_last_statement_after_running_the_ones_before()
    {
        var sql = $"{Insert}; SELECT count(*), max(n) FROM t WHERE id = $id";

        var row = _cache.TryQueryRow(_connection, sql, Row(7, "x", [9], 5));

        Assert.NotNull(row);
        Assert.Equal([1L, 5L], row);
        Assert.Equal("7|x|09|5", Read("SELECT id, label, hex(key), n FROM t"));
    }

    [Fact]
    public void A_statement_with_a_parameter_the_arguments_lack_is_left_to_the_command_which_reports_it()
    {
        var arguments = new SqlArguments(SqliteDialect.Instance).BigInt("id", 1).Text("label", "x");

        Assert.Null(_cache.TryExecute(_connection, Insert, arguments));
        Assert.Equal("", Read("SELECT id FROM t"));
    }

    [Fact]
    public void A_value_it_does_not_bind_leaves_the_statement_to_the_command_before_any_part_of_it_ran()
    {
        var sql = $"{Insert}; INSERT INTO t (id, n) VALUES ($id + 1, $n)";
        Assert.Equal(1, _cache.TryExecute(_connection, sql, Row(1, "a", [1], 1)));

        var unbindable = new SqlArguments(SqliteDialect.Instance).BigInt("id", 10).Text("label", "b").Bytes("key", new byte[] { 1 }).Column(
            "n", System.Data.DbType.Object, [Guid.NewGuid()], g => g);

        Assert.Null(_cache.TryExecute(_connection, sql, unbindable));
        Assert.Equal("1;2", Read("SELECT id FROM t ORDER BY id"));
    }

    [Fact]
    public void A_constraint_violation_throws_as_the_command_would_and_the_statement_runs_again_afterwards()
    {
        _cache.TryExecute(_connection, Insert, Row(1, "a", [1], 1));

        var refused = Assert.Throws<SqliteException>(() => _cache.TryExecute(_connection, Insert, Row(1, "b", [2], 2)));

        Assert.Equal(19, refused.SqliteErrorCode);
        Assert.Equal(1555, refused.SqliteExtendedErrorCode);
        Assert.Equal(1, _cache.TryExecute(_connection, Insert, Row(2, "c", [3], 3)));
        Assert.Equal("1|a;2|c", Read("SELECT id, label FROM t ORDER BY id"));
    }

    public void Dispose()
    {
        _cache.Dispose();
        _connection.Dispose();
    }

    private static SqlArguments Row(long id, string? label, byte[]? key, long? n)
    {
        var arguments = new SqlArguments(SqliteDialect.Instance).BigInt("id", id).Text("label", label);
        arguments = key is null ? arguments.Text("key", null) : arguments.Bytes("key", key);
        return arguments.BigInt("n", n);
    }

    private void Run(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Every row, its columns joined by '|' (null as empty) and rows by ';'.</summary>
    private string Read(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return string.Join(';', rows);
    }
}
