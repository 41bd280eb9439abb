namespace Ipam.Storage.Sql;

/// <summary>
/// Prepared commands kept on one long-lived connection, one per SQL text, so that hot statements are compiled
/// once rather than on every request. A store whose driver prepares statements itself has none.
/// </summary>
internal interface ICommandCache
{
    /// <summary>The command for <paramref name="sql"/>, enlisted in <paramref name="transaction"/>, with no parameters.</summary>
    DbCommand Get(DbConnection connection, DbTransaction? transaction, string sql);
}
