using System.Data.Common;

namespace Ipam.Storage.Sqlite;

/// <summary>
/// Keeps one prepared command per SQL text on a long-lived connection, so hot statements are compiled once
/// rather than on every request; and the same statements compiled for direct runs (<see cref="IDirectStatements"/>).
/// </summary>
internal sealed class SqliteCommandCache : ICommandCache, IDirectStatements, IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    // A text whose parameters the arguments do not cover maps to null: it runs as a command, which reports them.
    private readonly Dictionary<string, SqliteDirectStatement?> _direct = new(StringComparer.Ordinal);

    public DbCommand Get(DbConnection connection, DbTransaction? transaction, string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = ((SqliteConnection)connection).CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Transaction = (SqliteTransaction?)transaction;
        command.Parameters.Clear();
        return command;
    }

    public int? TryExecute(DbConnection connection, string sql, SqlArguments arguments) =>
        Direct(connection, sql, arguments)?.Execute(arguments);

    public long[]? TryQueryRow(DbConnection connection, string sql, SqlArguments arguments) =>
        Direct(connection, sql, arguments)?.QueryRow(arguments);

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        foreach (var statement in _direct.Values)
        {
            statement?.Dispose();
        }

        _commands.Clear();
        _direct.Clear();
    }

    private SqliteDirectStatement? Direct(DbConnection connection, string sql, SqlArguments arguments)
    {
        var database = ((SqliteConnection)connection).Handle!;
        if (_direct.TryGetValue(sql, out var statement) && (statement is null || statement.Database == database))
        {
            return statement;
        }

        statement?.Dispose();
        statement = SqliteDirectStatement.TryCompile(database, sql, arguments);
        _direct[sql] = statement;
        return statement;
    }
}
