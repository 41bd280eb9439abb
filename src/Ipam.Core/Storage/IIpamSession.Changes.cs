namespace Ipam.Storage;

/// <summary>The change log: written with every change, read by the events feed, history and the caches of every instance.</summary>
public partial interface IIpamSession
{
    /// <summary>
    /// Adds <paramref name="change"/> to the log as part of this unit: it is written when the unit commits, in
    /// commit order after every change committed before, and vanishes if the unit is undone.
    /// </summary>
    void RecordChange(Change change);

    /// <summary>
    /// Whether each statement of this unit sees every change committed before the statement began: true in write
    /// units (read committed on PostgreSQL; on SQLite nothing else commits while the writer's transaction is
    /// open), false in read units, which see one snapshot taken at their first statement.
    /// </summary>
    bool SeesEveryEarlierCommit { get; }

    /// <summary>
    /// Where the change log ends, when the store knows it without reading: in a write unit of a store whose every
    /// change is appended by this process's one writer (SQLite's), which holds the database until the unit's
    /// transaction ends, so nothing else commits meanwhile. Null otherwise (PostgreSQL: other instances write).
    /// </summary>
    long? KnownLogEnd { get; }

    /// <summary>
    /// Once the unit's transaction has committed: the position right before the unit's changes, which took the
    /// positions after it in the order recorded, when the store knows it (as <see cref="KnownLogEnd"/>). Null
    /// otherwise, and before the commit.
    /// </summary>
    long? ChangesAppendedAfter { get; }

    /// <summary>
    /// Whether the store takes <paramref name="position"/> as where the change log ends, for this unit to act on
    /// indexes caught up to there without reading the log: the commit then checks that no change appended after it
    /// freed an address, and if one did, abandons the transaction and runs its requests again (where no unit presumes);
    /// addresses other transactions took meanwhile are refused by the database if picked, and read with the commit.
    /// Only where the store allows it (PostgreSQL's write units, one transaction of the instance at a time); false
    /// elsewhere. A refusal is answered without that check, so it must not rest on a presumed end.
    /// <paramref name="spreadPick"/>: the unit picks one address spread over the free space (a random one), so that a
    /// pick meeting another instance's is a matter of a stale index, which the run again catches up, not of instances
    /// contending for the same addresses.
    /// </summary>
    bool TryPresumeLogEnd(long position, bool spreadPick = false);

    /// <summary>
    /// Once the unit's transaction has committed with a presumed log end (<see cref="TryPresumeLogEnd"/>): the
    /// position the commit checked from. Between it and <see cref="ChangesAppendedAfter"/> no change freed an address,
    /// and the allocation changes are <see cref="ChangesSeenAtCommit"/>, so a follower at any position in between may
    /// apply those and move past the rest. Null otherwise.
    /// </summary>
    long? ChangesCheckedFrom { get; }

    /// <summary>
    /// With <see cref="ChangesCheckedFrom"/>: the allocation changes (creations only) other transactions appended
    /// after it and before this unit's own, with the fields of <see cref="ListAllocationChangesAsync"/>. Empty otherwise.
    /// </summary>
    IReadOnlyList<Change> ChangesSeenAtCommit { get; }

    /// <summary>
    /// In a write unit of a store that presumes log ends (<see cref="TryPresumeLogEnd"/>): how many of this
    /// instance's commits so far appended changes at positions the instance was not told (a subnet's update, say),
    /// counted when the unit's transaction began. While it differs from the count at the follower's last read,
    /// such a commit may lie past the follower's position, and presuming would only be refuted. Zero elsewhere.
    /// </summary>
    long UnplacedCommits { get; }

    /// <summary>Whether this unit presumes the log end (<see cref="TryPresumeLogEnd"/>).</summary>
    bool PresumesLogEnd { get; }

    /// <summary>
    /// Whether this unit's transaction carries no other request's work, where the store presumes log ends
    /// (<see cref="TryPresumeLogEnd"/>): a presumption refuted then costs only this request its run again. False
    /// elsewhere.
    /// </summary>
    bool RunsAlone { get; }

    /// <summary>
    /// Drops this unit's presumption (<see cref="TryPresumeLogEnd"/>), for a unit that is about to read the log and
    /// has acted on nothing it presumed: the commit then checks the log for it no more.
    /// </summary>
    void WithdrawLogEndPresumption();

    /// <summary>The changes this unit recorded so far, in order.</summary>
    IReadOnlyList<Change> Changes { get; }

    /// <summary>A page of committed changes after a position, in commit order.</summary>
    ValueTask<IReadOnlyList<Change>> ListChangesAsync(ChangeQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> committed allocation changes after <paramref name="after"/>, of every subnet, in
    /// commit order, with only <see cref="Change.Sequence"/>, <see cref="Change.Type"/>, <see cref="Change.At"/>,
    /// <see cref="Change.Address"/> and <see cref="Change.SubnetId"/> set.
    /// </summary>
    ValueTask<IReadOnlyList<Change>> ListAllocationChangesAsync(long after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="ListAllocationChangesAsync"/>, then the insert of <paramref name="allocation"/> as
    /// <see cref="TryInsertAllocationAtRevisionAsync"/> makes it (or, without <paramref name="unconfirmedRevision"/>,
    /// as <see cref="TryInsertAllocationAsync"/>), sent together where the database takes both in one round trip: for
    /// an allocation picked before the changes were read, whose pick is judged against them afterwards.
    /// </summary>
    ValueTask<(IReadOnlyList<Change> Changes, AllocationInsert Outcome)> ListAllocationChangesThenInsertAsync(
        long after, int limit, Allocation allocation, long? unconfirmedRevision, CancellationToken cancellationToken);

    /// <summary>
    /// The releases and expiries of one subnet made at or after <paramref name="since"/>, in commit order, set as by
    /// <see cref="ListAllocationChangesAsync"/>; only those of the subnet as it exists now, logged after the last delete
    /// of its id (as <see cref="ListAllocationEndsAsync"/>).
    /// </summary>
    ValueTask<IReadOnlyList<Change>> ListRecentSubnetAllocationEndsAsync(Guid subnetId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// Where the last <paramref name="count"/> committed changes start, of <paramref name="tenantId"/>'s changes only
    /// when it is set: the position of the one before them among those, or 0 (the start) when there are no more than
    /// <paramref name="count"/>. Only the changes counted decide it.
    /// </summary>
    ValueTask<long> FindTailStartAsync(string? tenantId, int count, CancellationToken cancellationToken);

    /// <summary>The position of the last committed change (0 when the log is empty).</summary>
    ValueTask<long> FindLastChangeSequenceAsync(CancellationToken cancellationToken);

    /// <summary>The secret the database keeps under <paramref name="name"/> (made by a migration), or null.</summary>
    ValueTask<byte[]?> FindSecretAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="limit"/> of the oldest changes, those before the first made at or after
    /// <paramref name="cutoff"/> (never the last change, nor one the usage counters have not folded yet), and records in
    /// the same transaction how far the log, and each tenant's changes, have been pruned
    /// (<see cref="FindChangeLogBoundsAsync"/>); returns how many it deleted.
    /// </summary>
    ValueTask<int> PruneChangesBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// How far retention has pruned the log and where it ends, in one statement: the highest position deleted (0 when
    /// none was), or with <paramref name="tenantId"/> the highest of that tenant's changes deleted, and the position of
    /// the last committed change of any tenant. A reader after a position below the first may have missed changes;
    /// every change kept lies after it.
    /// </summary>
    ValueTask<ChangeLogBounds> FindChangeLogBoundsAsync(string? tenantId, CancellationToken cancellationToken);
}
