namespace Ipam.Storage.Sql;

/// <summary>
/// What a write transaction sends with its next statement (at the latest with its commit) instead of in a round
/// trip of its own, because it foresees the outcome: allocation inserts, idempotency records, and, where the store
/// allows it, the check that nothing appended to the change log since the instance last saw it freed an address (what
/// others allocated meanwhile is read with it). Each fails loudly when the foresight was wrong, and then the whole
/// transaction is abandoned and its requests run again with a savepoint each, where nothing is
/// held back.
/// </summary>
/// <remarks>
/// An insert is held back into a subnet whose revision the transaction holds under a share lock, of an address its
/// caught-up index has free: it fails only when another instance took the address meanwhile (no <c>ON CONFLICT</c>).
/// Where the transaction presumed the log end (<see cref="TryPresumeLogEnd"/>), its units picked from indexes that
/// only the log since then could make stale: then an insert whose subnet revision is not held yet is held back too,
/// behind a statement that share-locks the subnet at the revision and fails if it is at another.
/// </remarks>
internal sealed class DeferredInserts(bool presumesLogEnd = false, bool alone = false)
{
    private readonly List<(Allocation Allocation, long? Revision)> _pending = [];
    private readonly List<IdempotencyRecord> _records = [];
    private readonly Dictionary<object, long> _presumedBy = [];
    private readonly HashSet<object> _spreadPicks = [];
    private int _sent;
    private bool _addressTaken;
    private bool _keyRecordTaken;

    public int Count => _pending.Count + _records.Count;

    /// <summary>Whether the transaction runs one request's work only (see <see cref="IIpamSession.RunsAlone"/>).</summary>
    public bool Alone => alone;

    /// <summary>Whether a held-back insert or check failed, which made this transaction's requests run again.</summary>
    public bool Failed { get; private set; }

    /// <summary>
    /// Whether the failure calls for sending inserts at once for a while: any failure but that of a lone unit's one
    /// insert of a spread pick (<see cref="TryPresumeLogEnd"/>) meeting an address another instance took since this
    /// instance last looked, or that of a record whose key already had one (a request sent again). Such a pick met the
    /// other's because the index was stale, not because the instances contend for the same addresses; its run again
    /// reads the log, and only that unit paid for it. Pausing would cost every request of the next seconds a round
    /// trip, after every burst of another instance's allocations, or after every retry of a client's.
    /// </summary>
    public bool PausesDeferral =>
        Failed && !_keyRecordTaken && !(_addressTaken && _sent == 1 && _presumedBy.Count == 1 && _spreadPicks.Count == 1);

    /// <summary>The lowest log position a unit of this transaction presumes to be the log's end, if any.</summary>
    public long? PresumedLogEnd => _presumedBy.Count == 0 ? null : _presumedBy.Values.Min();

    /// <summary>
    /// Once the commit's check passed and read every allocation created between: <see cref="PresumedLogEnd"/>, after
    /// which no change freed an address up to this transaction's own (see <see cref="IIpamSession.ChangesCheckedFrom"/>).
    /// </summary>
    public long? CheckedFrom { get; set; }

    /// <summary>
    /// Once the commit's check passed: the allocation changes (creations only) other transactions appended between
    /// <see cref="CheckedFrom"/> and this transaction's own (see <see cref="IIpamSession.ChangesSeenAtCommit"/>).
    /// </summary>
    public IReadOnlyList<Change> SeenAtCommit { get; set; } = [];

    /// <summary>Whether the commit carries a check of <see cref="PresumedLogEnd"/>.</summary>
    public bool ChecksLogEnd => _presumedBy.Count > 0;

    /// <summary>Holds back an insert; with <paramref name="revision"/>, behind a hold of its subnet at that revision.</summary>
    public void Add(Allocation allocation, long? revision = null) => _pending.Add((allocation, revision));

    /// <summary>
    /// Holds back the insert of an idempotency record. It fails only when a request under the same key committed since
    /// this one looked for it; the run again finds that record and answers with it.
    /// </summary>
    public void Add(IdempotencyRecord record) => _records.Add(record);

    /// <summary>
    /// Whether this transaction takes <paramref name="position"/> as the log's end for <paramref name="unit"/>, to be
    /// checked with the commit: only where the store allows it. A unit that presumes twice keeps the lower position.
    /// </summary>
    public bool TryPresumeLogEnd(object unit, long position, bool spreadPick = false)
    {
        if (!presumesLogEnd)
        {
            return false;
        }

        if (spreadPick)
        {
            _spreadPicks.Add(unit);
        }

        _presumedBy[unit] = _presumedBy.TryGetValue(unit, out var presumed) ? Math.Min(presumed, position) : position;
        return true;
    }

    /// <summary>Drops what <paramref name="unit"/> presumed: it read the log before acting on anything.</summary>
    public void Withdraw(object unit)
    {
        _presumedBy.Remove(unit);
        _spreadPicks.Remove(unit);
    }

    /// <summary>
    /// Adds every held-back insert to <paramref name="batch"/>: the allocation inserts in the order they were held back,
    /// each subnet hold through <paramref name="holdOf"/> and each insert through <paramref name="insertOf"/>, then the
    /// idempotency records through <paramref name="recordOf"/>.
    /// </summary>
    public void MoveTo(
        DbBatch batch, Func<DbBatch, Allocation, long, DbBatchCommand> holdOf, Func<DbBatch, Allocation, DbBatchCommand> insertOf,
        Func<DbBatch, IdempotencyRecord, DbBatchCommand> recordOf)
    {
        // Records are not counted: a lone request's record beside its insert leaves PausesDeferral as it was.
        _sent += _pending.Count;
        foreach (var (allocation, revision) in _pending)
        {
            if (revision is { } held)
            {
                batch.BatchCommands.Add(holdOf(batch, allocation, held));
            }

            batch.BatchCommands.Add(insertOf(batch, allocation));
        }

        foreach (var record in _records)
        {
            batch.BatchCommands.Add(recordOf(batch, record));
        }

        _pending.Clear();
        _records.Clear();
    }

    /// <summary>
    /// Marks this transaction <see cref="Failed"/>: a batch that carried held-back statements met a taken address, a
    /// key that has a record, or a failed check (nothing else in such a batch can): <paramref name="addressTaken"/>
    /// for either of the former, <paramref name="keyRecordTaken"/> for the key.
    /// </summary>
    public void Conflicted(bool addressTaken, bool keyRecordTaken)
    {
        Failed = true;
        _addressTaken = addressTaken && !keyRecordTaken;
        _keyRecordTaken = keyRecordTaken;
    }
}
