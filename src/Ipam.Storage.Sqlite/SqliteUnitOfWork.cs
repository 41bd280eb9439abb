using Ipam.Storage.Sql;

namespace Ipam.Storage.Sqlite;

/// <summary>
/// What the group-commit engine reads of a <see cref="SqliteSession"/>. The session does not track whether it
/// wrote; SQLite runs every request in a savepoint, so the engine never needs to know.
/// </summary>
internal sealed class SqliteUnitOfWork(SqliteSession session) : IUnitOfWork
{
    public bool Modified => true;

    public IReadOnlyList<Action> CommitActions => session.CommitActions;

    public IReadOnlyList<Action> RollbackActions => session.RollbackActions;
}
