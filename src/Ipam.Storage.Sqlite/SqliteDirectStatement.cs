using SQLitePCL;

namespace Ipam.Storage.Sqlite;

/// <summary>
/// One SQL text compiled on one connection for <see cref="IDirectStatements"/>: its statements, and the position of
/// each argument in each of them, found by name once. Every run binds by position, steps, and resets.
/// </summary>
internal sealed class SqliteDirectStatement : IDisposable
{
    private readonly sqlite3_stmt[] _statements;
    private readonly string[] _names;
    private readonly int[][] _positions;

    private SqliteDirectStatement(sqlite3 database, sqlite3_stmt[] statements, string[] names, int[][] positions)
    {
        Database = database;
        _statements = statements;
        _names = names;
        _positions = positions;
    }

    public sqlite3 Database { get; }

    /// <summary>
    /// Compiles <paramref name="sql"/> for arguments named as <paramref name="arguments"/> are; null when a parameter of
    /// the SQL is not among them (the command then reports it as missing).
    /// </summary>
    public static SqliteDirectStatement? TryCompile(sqlite3 database, string sql, SqlArguments arguments)
    {
        var statements = new List<sqlite3_stmt>();
        try
        {
            var rest = sql;
            while (!string.IsNullOrWhiteSpace(rest))
            {
                var rc = raw.sqlite3_prepare_v2(database, rest, out var statement, out rest);
                if (rc != raw.SQLITE_OK)
                {
                    statement.Dispose();
                    SqliteException.ThrowExceptionForRC(rc, database);
                }

                if (statement.IsInvalid)
                {
                    // Only a comment or white space was left.
                    statement.Dispose();
                }
                else
                {
                    statements.Add(statement);
                }
            }

            var names = new string[arguments.Count];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = arguments[i].Name;
            }

            var positions = new int[statements.Count][];
            for (var s = 0; s < statements.Count; s++)
            {
                if (!AllParametersNamed(statements[s], names))
                {
                    DisposeAll(statements);
                    return null;
                }

                positions[s] = Array.ConvertAll(names, name => raw.sqlite3_bind_parameter_index(statements[s], SqliteDialect.Instance.ParameterPrefix + name));
            }

            return new SqliteDirectStatement(database, [.. statements], names, positions);
        }
        catch
        {
            DisposeAll(statements);
            throw;
        }
    }

    /// <summary>Runs every statement; the rows changed by the last insert, update or delete, or null when the arguments do not fit.</summary>
    public int? Execute(SqlArguments arguments) =>
        Fits(arguments) ? Run(arguments, readRow: false).Changes : null;

    /// <summary>Runs every statement; the integers of the last one's first row, or null when the arguments do not fit.</summary>
    public long[]? QueryRow(SqlArguments arguments) =>
        Fits(arguments) ? Run(arguments, readRow: true).Row : null;

    public void Dispose() => DisposeAll(_statements);

    /// <summary>Named as when compiled, in the same order, and each value of a type bound here: checked before any statement runs.</summary>
    private bool Fits(SqlArguments arguments)
    {
        if (arguments.Count != _names.Length)
        {
            return false;
        }

        for (var i = 0; i < _names.Length; i++)
        {
            var (name, value) = arguments[i];
            if (!string.Equals(name, _names[i], StringComparison.Ordinal) || !IsBindable(value))
            {
                return false;
            }
        }

        return true;
    }

    private (int Changes, long[] Row) Run(SqlArguments arguments, bool readRow)
    {
        long[] row = [];
        var last = _statements.Length - 1;
        try
        {
            for (var s = 0; s <= last; s++)
            {
                var statement = _statements[s];
                Bind(statement, _positions[s], arguments);
                var rc = raw.sqlite3_step(statement);
                if (rc == raw.SQLITE_ROW && readRow && s == last)
                {
                    row = new long[raw.sqlite3_column_count(statement)];
                    for (var c = 0; c < row.Length; c++)
                    {
                        row[c] = raw.sqlite3_column_int64(statement, c);
                    }
                }

                while (rc == raw.SQLITE_ROW)
                {
                    rc = raw.sqlite3_step(statement);
                }

                if (rc != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(rc, Database);
                }
            }

            return (raw.sqlite3_changes(Database), row);
        }
        finally
        {
            // Every parameter is bound at every run (TryCompile refuses a text with others), so none keeps an old value.
            foreach (var statement in _statements)
            {
                raw.sqlite3_reset(statement);
            }
        }
    }

    private static void Bind(sqlite3_stmt statement, int[] positions, SqlArguments arguments)
    {
        for (var i = 0; i < positions.Length; i++)
        {
            var position = positions[i];
            if (position == 0)
            {
                continue;
            }

            var rc = arguments[i].Value switch
            {
                null or DBNull => raw.sqlite3_bind_null(statement, position),
                string text => raw.sqlite3_bind_text(statement, position, text),
                byte[] bytes => raw.sqlite3_bind_blob(statement, position, bytes),
                long number => raw.sqlite3_bind_int64(statement, position, number),
                int number => raw.sqlite3_bind_int64(statement, position, number),
                short number => raw.sqlite3_bind_int64(statement, position, number),
                bool flag => raw.sqlite3_bind_int64(statement, position, flag ? 1 : 0),
                var other => throw new InvalidOperationException($"A value of type {other.GetType()} is not bound directly."),
            };
            if (rc != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(rc, raw.sqlite3_db_handle(statement));
            }
        }
    }

    private static bool IsBindable(object? value) => value is null or DBNull or string or byte[] or long or int or short or bool;

    private static bool AllParametersNamed(sqlite3_stmt statement, string[] names)
    {
        var count = raw.sqlite3_bind_parameter_count(statement);
        for (var p = 1; p <= count; p++)
        {
            var name = raw.sqlite3_bind_parameter_name(statement, p).utf8_to_string();
            if (name is null || !name.StartsWith(SqliteDialect.Instance.ParameterPrefix, StringComparison.Ordinal)
                || Array.IndexOf(names, name[SqliteDialect.Instance.ParameterPrefix.Length..]) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static void DisposeAll(IEnumerable<sqlite3_stmt> statements)
    {
        foreach (var statement in statements)
        {
            statement.Dispose();
        }
    }
}
