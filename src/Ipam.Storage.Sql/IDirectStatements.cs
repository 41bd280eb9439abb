namespace Ipam.Storage.Sql;

/// <summary>
/// Hot statements run straight on the driver's compiled statements, bound by position, where the driver would otherwise
/// look up every parameter by name and wrap every step (Microsoft.Data.Sqlite, whose binding cost more than SQLite's own
/// insert). A method returns null when it cannot run <c>sql</c> this way (a value of a type it does not bind, a
/// parameter of the statement left without a value); the caller then runs the command as usual.
/// </summary>
internal interface IDirectStatements
{
    /// <summary>Runs <paramref name="sql"/>, which returns no rows; returns the rows changed by its last insert, update or delete.</summary>
    int? TryExecute(DbConnection connection, string sql, SqlArguments arguments);

    /// <summary>Runs <paramref name="sql"/>; returns the integers of the first row of its last statement (empty when it returned none).</summary>
    long[]? TryQueryRow(DbConnection connection, string sql, SqlArguments arguments);
}
