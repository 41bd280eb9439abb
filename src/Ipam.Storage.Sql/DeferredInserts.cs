namespace Ipam.Storage.Sql;

/// <summary>
/// Allocation inserts a shared write transaction holds back, to send with its next statement (at the latest with
/// its commit) instead of in a round trip each. Only inserts whose outcome the transaction foresees are held: into
/// a subnet whose revision it holds under a share lock, of an address its caught-up index has free. Such an insert
/// fails only when another instance took the address meanwhile, and then it fails loudly (no <c>ON CONFLICT</c>):
/// the whole transaction is abandoned and its requests run again with a savepoint each, where nothing is held back.
/// </summary>
internal sealed class DeferredInserts
{
    private readonly List<Allocation> _pending = [];

    public int Count => _pending.Count;

    /// <summary>Whether a held-back insert failed, which made this transaction's requests run again.</summary>
    public bool Failed { get; private set; }

    public void Add(Allocation allocation) => _pending.Add(allocation);

    /// <summary>Adds every held-back insert to <paramref name="batch"/>, in the order they were held back, through <paramref name="commandOf"/>.</summary>
    public void MoveTo(DbBatch batch, Func<DbBatch, Allocation, DbBatchCommand> commandOf)
    {
        foreach (var allocation in _pending)
        {
            batch.BatchCommands.Add(commandOf(batch, allocation));
        }

        _pending.Clear();
    }

    /// <summary>
    /// Marks this transaction <see cref="Failed"/>: a batch that carried held-back inserts met a taken address
    /// (nothing else in such a batch can violate a unique key).
    /// </summary>
    public void Conflicted() => Failed = true;
}
