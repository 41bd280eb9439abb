using Microsoft.Data.Sqlite;

namespace Ipam.Storage.Sqlite;

/// <summary>
/// Keeps one prepared command per SQL text on a long-lived connection, so hot statements are compiled once
/// rather than on every request.
/// </summary>
internal sealed class SqliteCommandCache : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteCommand Get(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}
