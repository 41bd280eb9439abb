namespace Ipam.Storage.Sql;

/// <summary>
/// What the group-commit engine reads of one request's unit of work after running it: whether it may have
/// changed rows (so that a failure cannot be undone without a savepoint), and the cache updates to run once
/// the shared transaction's fate is known.
/// </summary>
internal interface IUnitOfWork
{
    /// <summary>Whether the unit may have changed rows, as each write declared; a write that touched no row leaves it as it was.</summary>
    bool Modified { get; }

    /// <summary>The changes the unit recorded, for the change log, appended when its transaction commits.</summary>
    IReadOnlyList<Change> Changes { get; }

    /// <summary>Set by the engine once the unit's transaction has committed, when the store knows it: see <see cref="IIpamSession.ChangesAppendedAfter"/>.</summary>
    long? ChangesAppendedAfter { get; set; }

    /// <summary>The subnets whose usage counters the unit's transaction recounts when it commits, after the append.</summary>
    IReadOnlyList<Guid> Recounts { get; }

    /// <summary>Actions to run, in order, once the transaction holding the unit committed.</summary>
    IReadOnlyList<Action> CommitActions { get; }

    /// <summary>Actions to run, last first, when the unit's changes are undone.</summary>
    IReadOnlyList<Action> RollbackActions { get; }
}
