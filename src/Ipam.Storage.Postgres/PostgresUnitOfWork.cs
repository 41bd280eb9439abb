using Ipam.Storage.Sql;

namespace Ipam.Storage.Postgres;

/// <summary>What the group-commit engine reads of a <see cref="PostgresSession"/>.</summary>
internal sealed class PostgresUnitOfWork(PostgresSession session) : IUnitOfWork
{
    public bool Modified => session.Modified;

    public IReadOnlyList<Action> CommitActions => session.CommitActions;

    public IReadOnlyList<Action> RollbackActions => session.RollbackActions;
}
