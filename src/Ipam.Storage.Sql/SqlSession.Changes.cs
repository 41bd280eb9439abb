namespace Ipam.Storage.Sql;

/// <summary>
/// The change log. A unit's changes wait in memory until its transaction commits; the engine then appends
/// the changes of every unit that succeeded, last, in one statement (<see cref="AppendChangesAsync"/>).
/// </summary>
internal sealed partial class SqlSession
{
    private readonly List<Change> _changes = [];

    public IReadOnlyList<Change> Changes => _changes;

    public void RecordChange(Change change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _changes.Add(change);
    }

    public async ValueTask<IReadOnlyList<Change>> ListChangesAsync(ChangeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var arguments = Arguments().BigInt("after", query.After).Int("limit", query.Limit);
        if (query.TenantId is not { } tenant)
        {
            return (await QueryAsync<ChangeRow>(Sql.SelectChanges, arguments, cancellationToken).ConfigureAwait(false)).ConvertAll(r => r.ToChange(dialect));
        }

        var rows = await QueryAsync<ChangeRow>(Sql.SelectTenantChanges, arguments.Text("tenant", tenant), cancellationToken).ConfigureAwait(false);
        if (query.RevocationOf is { } token)
        {
            // A token's revocation is a change of no tenant: read apart, from its own index, and placed in commit order.
            var revocation = await QueryAsync<ChangeRow>(
                Sql.SelectTokenRevocation, Arguments().BigInt("after", query.After).Id("token", token), cancellationToken).ConfigureAwait(false);
            rows = [.. rows.Concat(revocation).DistinctBy(r => r.Seq).OrderBy(r => r.Seq).Take(query.Limit)];
        }

        return rows.ConvertAll(r => r.ToChange(dialect));
    }

    /// <remarks>On a prepared command: every allocation runs it to catch up with other writers.</remarks>
    public ValueTask<IReadOnlyList<Change>> ListAllocationChangesAsync(long after, int limit, CancellationToken cancellationToken) =>
        ReadAllocationChangesAsync(Sql.SelectAllocationChanges, Arguments().BigInt("after", after).Int("limit", limit), cancellationToken);

    public ValueTask<IReadOnlyList<Change>> ListRecentSubnetAllocationEndsAsync(Guid subnetId, DateTimeOffset since, CancellationToken cancellationToken) =>
        ReadAllocationChangesAsync(Sql.SelectRecentSubnetAllocationEnds, Arguments().Id("subnet", subnetId).Time("since", since), cancellationToken);

    /// <summary>Reads (seq, type, at, ip_address, subnet_id) rows.</summary>
    private async ValueTask<IReadOnlyList<Change>> ReadAllocationChangesAsync(string sql, SqlArguments arguments, CancellationToken cancellationToken)
    {
        var command = await PreparedAsync(sql, arguments).ConfigureAwait(false);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await ReadAllocationChangeRowsAsync(reader, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseAsync(command).ConfigureAwait(false);
        }
    }

    /// <summary>The (seq, type, at, ip_address, subnet_id) rows of the reader's current result.</summary>
    private async ValueTask<IReadOnlyList<Change>> ReadAllocationChangeRowsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        List<Change>? changes = null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            (changes ??= []).Add(AllocationChangeOf(reader, 0));
        }

        return changes ?? (IReadOnlyList<Change>)[];
    }

    /// <summary>The change in the reader's row whose (seq, type, at, ip_address, subnet_id) start at <paramref name="first"/>.</summary>
    private Change AllocationChangeOf(DbDataReader reader, int first) => new()
    {
        Sequence = reader.GetInt64(first),
        Type = reader.GetString(first + 1),
        At = dialect.ReadTime(reader.GetValue(first + 2)),
        Actor = "",
        Address = IpAddress.Parse(reader.GetString(first + 3)),
        SubnetId = reader.IsDBNull(first + 4) ? null : dialect.ReadId(reader.GetValue(first + 4)),
    };

    public async ValueTask<long> FindTailStartAsync(string? tenantId, int count, CancellationToken cancellationToken)
    {
        var arguments = Arguments().Int("count", count);
        var command = await CommandAsync(
            tenantId is null ? Sql.SelectTailStart : Sql.SelectTenantTailStart, tenantId is null ? arguments : arguments.Text("tenant", tenantId),
            cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long?>(command).ConfigureAwait(false) ?? 0;
    }

    public async ValueTask<long> FindLastChangeSequenceAsync(CancellationToken cancellationToken)
    {
        var command = await CommandAsync(Sql.SelectLastChangeSequence, Arguments(), cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(command).ConfigureAwait(false);
    }

    public async ValueTask<byte[]?> FindSecretAsync(string name, CancellationToken cancellationToken)
    {
        var command = await CommandAsync(Sql.SelectSecret, Arguments().Text("name", name), cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync(command).ConfigureAwait(false) as byte[];
    }

    public async ValueTask<DateTimeOffset?> ReadDatabaseTimeAsync(CancellationToken cancellationToken)
    {
        if (Sql.SelectDatabaseTime is not { } sql)
        {
            return null;
        }

        var command = await CommandAsync(sql, Arguments(), cancellationToken).ConfigureAwait(false);
        return dialect.ReadTime((await connection.ExecuteScalarAsync(command).ConfigureAwait(false))!);
    }

    public async ValueTask<int> PruneChangesBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        Declare(WriteScope.OtherRows);
        var command = await CommandAsync(Sql.PruneChangesBefore, Arguments().Time("cutoff", cutoff).Int("limit", limit), cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<int>(command).ConfigureAwait(false);
    }

    public async ValueTask<ChangeLogBounds> FindChangeLogBoundsAsync(string? tenantId, CancellationToken cancellationToken)
    {
        var command = await CommandAsync(Sql.SelectChangeLogBounds, Arguments().Text("tenant", tenantId), cancellationToken).ConfigureAwait(false);
        var (prunedThrough, lastSequence) = await connection.QuerySingleAsync<(long, long)>(command).ConfigureAwait(false);
        return new ChangeLogBounds(prunedThrough, lastSequence);
    }

    /// <summary>
    /// Appends <paramref name="changes"/> to the log in their order; the engine calls it right before the commit. Where
    /// the dialect binds arrays it is one statement, each column an array; otherwise one execution per change.
    /// </summary>
    /// <remarks>
    /// On a prepared command: every write transaction runs it. Plain typed parameters, not a JSON document taken
    /// apart by the database: that cost more CPU than writing the row.
    /// </remarks>
    public ValueTask AppendChangesAsync(IReadOnlyList<Change> changes) => ExecuteForRowsAsync(Sql.AppendChanges, changes, rows => ColumnsOf(rows));

    /// <summary>
    /// Sends the inserts held back (<see cref="DeferredInserts"/>) (behind the transaction's prelude if nothing went
    /// before them), then what the prelude says to send before the commit-order lock, checks the log end the units
    /// presumed, appends <paramref name="changes"/>, recounts the usage of <paramref name="recounts"/>, and commits the transaction, in
    /// one batch sent at once: one round trip where the driver pipelines a batch (PostgreSQL's). An error in a
    /// statement makes the server skip the rest, <c>COMMIT</c> included. Only for a dialect that binds arrays (one
    /// statement for every change). Returns the position right before the changes appended when the check passed
    /// (which found where the log ended) and they took the positions right after it (a transaction that appended
    /// and rolled back leaves a gap); otherwise null.
    /// </summary>
    public async ValueTask<long?> AppendChangesAndCommitAsync(IReadOnlyList<Change> changes, IReadOnlyList<Guid> recounts)
    {
        if (!dialect.BindsArrays)
        {
            throw new InvalidOperationException("Appending with the commit takes one statement for every change: a dialect that binds arrays.");
        }

        Declare(WriteScope.OtherRows);
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        var presumed = deferred?.PresumedLogEnd;
        var carriesDeferred = deferred is { Count: > 0 } || presumed is not null;
        if (deferred is { Count: > 0 })
        {
            AddPrelude(batch);
            AddDeferredInserts(deferred, batch);
        }
        else
        {
            // A lock wait not sent by now bounds nothing, and is not sent at all; the transaction still begins.
            AddOpening(batch);
        }

        if ((presumed is not null || changes.Count > 0) && prelude is { BoundsLockWaits: true, BeforeCommitOrder: { } beforeCommitOrder })
        {
            batch.BatchCommands.Add(BatchCommandOf(batch, beforeCommitOrder, Arguments()));
        }

        if (presumed is { } expected)
        {
            batch.BatchCommands.Add(BatchCommandOf(batch, Sql.CommitOrderLock!, Arguments()));
            batch.BatchCommands.Add(BatchCommandOf(batch, Sql.ExpectLogEnd!, Arguments().BigInt("position", expected).Int("page", ChangeLogFollower.PageSize)));
        }

        if (changes.Count == 1 && Sql.AppendChange is { } appendOne)
        {
            batch.BatchCommands.Add(BatchCommandOf(batch, presumed is null ? appendOne : Sql.AppendChangeReturning!, ColumnsOf(changes, asArrays: false)));
        }
        else if (changes.Count > 0)
        {
            batch.BatchCommands.Add(BatchCommandOf(batch, presumed is null ? Sql.AppendChanges : Sql.AppendChangesReturning!, ColumnsOf(changes)));
        }

        if (recounts.Count > 0)
        {
            batch.BatchCommands.Add(BatchCommandOf(batch, Sql.RecountSubnetUsage, RecountColumnsOf(recounts)));
        }

        batch.BatchCommands.Add(BatchCommandOf(batch, "COMMIT", Arguments()));
        if (presumed is not { } after)
        {
            await ExecuteWithDeferredAsync(batch, carriesDeferred).ConfigureAwait(false);
            return null;
        }

        var (logEnd, positions, seen) = await ExecuteWithDeferredAsync(batch, carriesDeferred, CheckedEndAndPositionsAsync).ConfigureAwait(false);
        // A full page may not be all of them: then the instance reads them as usual.
        if (seen.Count < ChangeLogFollower.PageSize)
        {
            deferred!.CheckedFrom = after;
            deferred.SeenAtCommit = seen;
        }

        return positions.Count == changes.Count && (positions.Count == 0 || (positions.Min() == logEnd + 1 && positions.Max() == logEnd + positions.Count))
            ? logEnd
            : null;
    }

    /// <summary>
    /// Runs a commit batch; reads where the log ended before the append and the allocation changes after the presumed
    /// end (<see cref="SqlText.ExpectLogEnd"/>'s rows: <c>log_end</c>, then a change or nulls), and the positions the
    /// append returned (the result whose only column is <c>seq</c>).
    /// </summary>
    private async Task<(long End, List<long> Positions, IReadOnlyList<Change> Seen)> CheckedEndAndPositionsAsync(DbBatch batch)
    {
        long end = 0;
        var positions = new List<long>();
        List<Change>? seen = null;
        await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        do
        {
            var column = reader.FieldCount > 0 ? reader.GetName(0) : "";
            while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                if (column == "seq")
                {
                    positions.Add(reader.GetInt64(0));
                }
                else if (column == "log_end")
                {
                    end = reader.GetInt64(0);
                    if (!reader.IsDBNull(1))
                    {
                        (seen ??= []).Add(AllocationChangeOf(reader, 1));
                    }
                }
            }
        }
        while (await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false));

        return (end, positions, seen ?? (IReadOnlyList<Change>)[]);
    }

    /// <summary>
    /// The parameters of <see cref="SqlText.AppendChanges"/>, in column order: arrays where the dialect binds them,
    /// unless <paramref name="asArrays"/> is false (<see cref="SqlText.AppendChange"/>, the only change's values).
    /// </summary>
    private SqlArguments ColumnsOf(IReadOnlyList<Change> changes, bool asArrays = true) => Arguments()
        .Column("at", dialect.TimeType, changes, c => dialect.TimeValue(c.At), asArrays)
        .Column("type", DbType.String, changes, c => c.Type, asArrays)
        .Column("actor", DbType.String, changes, c => c.Actor, asArrays)
        .Column("tenant", DbType.String, changes, c => c.TenantId, asArrays)
        .Column("subnet", dialect.IdType, changes, c => c.SubnetId is { } subnet ? dialect.IdValue(subnet) : null, asArrays)
        .Column("resource", dialect.IdType, changes, c => c.ResourceId is { } resource ? dialect.IdValue(resource) : null, asArrays)
        .Column("ip", DbType.String, changes, c => c.Address?.ToString(), asArrays)
        .Column("cidr", DbType.String, changes, c => c.Cidr?.ToString(), asArrays)
        .Column("reason", DbType.String, changes, c => c.Reason, asArrays)
        .Column("held", dialect.TimeType, changes, c => c.HeldSince is { } held ? dialect.TimeValue(held) : null, asArrays)
        .Column("before", DbType.String, changes, c => c.Before, asArrays)
        .Column("after", DbType.String, changes, c => c.After, asArrays)
        .Column("key", DbType.Binary, changes, c => c.Address?.ToKey(), asArrays);

    /// <summary>
    /// Runs <paramref name="sql"/> for <paramref name="rows"/> (nothing when there are none): once, each column an array,
    /// where the dialect binds arrays; otherwise once per row.
    /// </summary>
    private async ValueTask ExecuteForRowsAsync<TRow>(string sql, IReadOnlyList<TRow> rows, Func<IReadOnlyList<TRow>, SqlArguments> columnsOf)
    {
        if (rows.Count == 0)
        {
            return;
        }

        Declare(WriteScope.OtherRows);
        if (dialect.BindsArrays)
        {
            await ExecutePreparedNonQueryAsync(sql, columnsOf(rows), CancellationToken.None).ConfigureAwait(false);
            return;
        }

        foreach (var row in rows)
        {
            await ExecutePreparedNonQueryAsync(sql, columnsOf([row]), CancellationToken.None).ConfigureAwait(false);
        }
    }
}
