using System.Data.Common;

namespace Ipam.Storage.Sqlite;

/// <summary>
/// Keeps one prepared command per SQL text on a long-lived connection, so hot statements are compiled once
/// rather than on every request.
/// </summary>
internal sealed class SqliteCommandCache : ICommandCache, IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public DbCommand Get(DbConnection connection, DbTransaction transaction, string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = ((SqliteConnection)connection).CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Transaction = (SqliteTransaction)transaction;
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
