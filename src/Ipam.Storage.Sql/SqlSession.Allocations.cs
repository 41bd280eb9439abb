using System.Globalization;

namespace Ipam.Storage.Sql;

/// <summary>Allocations. The insert and the free-space rebuild read are on every allocation's path, so they run on prepared commands.</summary>
internal sealed partial class SqlSession
{
    public async ValueTask<Allocation?> FindAllocationAsync(Guid subnetId, IpAddress address, CancellationToken cancellationToken)
    {
        var row = await QueryFirstAsync<AllocationRow>(Sql.SelectAllocation, Arguments().Id("subnet", subnetId).Key("ip", address), cancellationToken)
            .ConfigureAwait(false);
        return row?.ToAllocation(dialect, subnetId, address.Version);
    }

    /// <remarks>
    /// Runs on a prepared command with the parameters in the order <see cref="SqlText.ListAllocations"/> takes
    /// them. <c>after</c> is never NULL (the empty key sorts before every address), so the bound is a range
    /// on the index instead of a filter.
    /// </remarks>
    public async ValueTask<IReadOnlyList<Allocation>> ListAllocationsAsync(AllocationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var arguments = Arguments().Id("subnet", query.SubnetId).KeyAfter("after", query.After).Int("limit", query.Limit);
        if (query.Owner is not null)
        {
            arguments.Text("owner", query.Owner);
        }

        var rows = await QueryPreparedAsync<AllocationRow>(query.Owner is null ? Sql.ListAllocations : Sql.ListAllocationsByOwner, arguments, cancellationToken)
            .ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToAllocation(dialect, query.SubnetId, (IpVersion)r.IpVersion));
    }

    public async ValueTask<IReadOnlyList<IpAddress>> ListAllocatedAddressesAsync(Guid subnetId, IpVersion version, CancellationToken cancellationToken)
    {
        var command = await PreparedAsync(Sql.SelectAllocatedAddresses, Arguments().Id("subnet", subnetId)).ConfigureAwait(false);
        try
        {
            var addresses = new List<IpAddress>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = reader.GetValue(0);
                try
                {
                    addresses.Add(StoredValues.Address(key, version, "ip"));
                }
                catch (StoredValueException e)
                {
                    throw e.Of(AllocationRow.Table, AllocationRow.KeyOf(subnetId, key));
                }
            }

            return addresses;
        }
        finally
        {
            await ReleaseAsync(command).ConfigureAwait(false);
        }
    }

    public async ValueTask<bool> TryInsertAllocationAsync(Allocation allocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        var (_, inserted) = await InsertAllocationAsync(allocation, null, cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    /// <summary>Whether the change log holds an end of an allocation of <paramref name="address"/> in the subnet later than <paramref name="time"/>.</summary>
    /// <remarks>On a prepared command, run directly where the store can: every specific allocation asks it.</remarks>
    private async ValueTask<bool> AllocationEndedAfterAsync(Guid subnetId, IpAddress address, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var arguments = EndedAfterArgumentsOf(subnetId, address, time);
        if (await TryQueryRowDirectlyAsync(Sql.SelectAllocationEndedAfter, arguments, cancellationToken).ConfigureAwait(false) is { } row)
        {
            return row[0] != 0;
        }

        var command = await PreparedAsync(Sql.SelectAllocationEndedAfter, arguments).ConfigureAwait(false);
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) != 0;
        }
        finally
        {
            await ReleaseAsync(command).ConfigureAwait(false);
        }
    }

    private SqlArguments EndedAfterArgumentsOf(Guid subnetId, IpAddress address, DateTimeOffset time) =>
        Arguments().Id("subnet", subnetId).Text("ip", address.ToString()).Time("at", time);

    public async ValueTask RedateAllocationAsync(Guid subnetId, IpAddress address, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        await WriteAsync(WriteScope.AllocationRows, Sql.RedateAllocation, Arguments().Id("subnet", subnetId).Key("ip", address).Time("created", createdAt), cancellationToken)
            .ConfigureAwait(false);

    /// <remarks>
    /// A subnet whose revision this transaction already holds (see <see cref="SqlSession"/>) keeps it, so the
    /// plain insert does, or, where the transaction holds inserts back (<see cref="DeferredInserts"/>), it is held
    /// back and counted as made; otherwise the insert checks the revision (on PostgreSQL taking the share lock),
    /// which is held from then on. A unit that presumed the log's end (<see cref="TryPresumeLogEnd"/>) holds back
    /// that insert too, behind the revision's check.
    /// </remarks>
    public async ValueTask<AllocationInsert> TryInsertAllocationAtRevisionAsync(Allocation allocation, long subnetRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        if (HeldRevisionDiffers(allocation.SubnetId, subnetRevision, out var checkedRevision))
        {
            return AllocationInsert.SubnetChanged;
        }

        if (deferred is not null && (checkedRevision is null || PresumesLogEnd))
        {
            Declare(WriteScope.AllocationRows);
            deferred.Add(allocation, checkedRevision);
            if (checkedRevision is { } revision)
            {
                heldRevisions?.Add(allocation.SubnetId, revision);
            }

            return AllocationInsert.Inserted;
        }

        var (current, inserted) = await InsertAllocationAsync(allocation, checkedRevision, cancellationToken).ConfigureAwait(false);
        return InsertOutcome(allocation, checkedRevision, current, inserted);
    }

    /// <summary>
    /// Whether this transaction holds the subnet at a revision other than <paramref name="subnetRevision"/>;
    /// otherwise <paramref name="checkedRevision"/> is the revision the insert must check: none when the
    /// transaction holds the subnet already (or none was given).
    /// </summary>
    private bool HeldRevisionDiffers(Guid subnetId, long? subnetRevision, out long? checkedRevision)
    {
        long held = 0;
        var isHeld = subnetRevision is not null && heldRevisions?.TryGetValue(subnetId, out held) == true;
        checkedRevision = isHeld ? null : subnetRevision;
        return isHeld && held != subnetRevision;
    }

    /// <summary>The outcome of an insert that checked <paramref name="checkedRevision"/>, if any; a revision checked and current is held from then on.</summary>
    private AllocationInsert InsertOutcome(Allocation allocation, long? checkedRevision, bool current, bool inserted)
    {
        if (!current)
        {
            return AllocationInsert.SubnetChanged;
        }

        if (checkedRevision is { } revision)
        {
            heldRevisions?.Add(allocation.SubnetId, revision);
        }

        return inserted ? AllocationInsert.Inserted : AllocationInsert.AddressTaken;
    }

    public async ValueTask<Allocation?> UpdateAllocationAsync(
        Allocation current, string? description, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        var modifiedBefore = Declare(WriteScope.AllocationRows);
        var arguments = Arguments()
            .Id("subnet", current.SubnetId).Key("ip", current.Address).Time("created", current.CreatedAt)
            .Text("was_description", current.Description).Time("was_expires", current.ExpiresAt)
            .Text("description", description).Time("expires", expiresAt);
        var rows = await QueryAsync<AllocationRow>(Sql.UpdateAllocation, arguments, cancellationToken).ConfigureAwait(false);
        Settle(WriteScope.AllocationRows, modifiedBefore, rows.Count);
        return rows.Count == 0 ? null : rows[0].ToAllocation(dialect, current.SubnetId, current.Address.Version);
    }

    public async ValueTask<Allocation?> DeleteAllocationAsync(Guid subnetId, IpAddress address, CancellationToken cancellationToken)
    {
        var deleted = await DeleteReturningAsync(Sql.DeleteAllocation, Arguments().Id("subnet", subnetId).Key("ip", address), cancellationToken)
            .ConfigureAwait(false);
        return deleted.Count == 0 ? null : deleted[0].ToAllocation(dialect, subnetId, address.Version);
    }

    public async ValueTask<IReadOnlyList<Allocation>> DeleteSubnetAllocationsAsync(Guid subnetId, IpVersion version, CancellationToken cancellationToken)
    {
        var deleted = await DeleteReturningAsync(Sql.DeleteSubnetAllocations, Arguments().Id("subnet", subnetId), cancellationToken).ConfigureAwait(false);
        return deleted.ConvertAll(r => r.ToAllocation(dialect, subnetId, version));
    }

    /// <remarks>On a prepared command: a full subnet runs it before every pool-exhausted answer.</remarks>
    public async ValueTask<IReadOnlyList<Allocation>> DeleteExpiredAllocationsAsync(
        DateTimeOffset now, Guid? subnetId, CancellationToken cancellationToken)
    {
        var rows = await DeleteReturningAsync(Sql.DeleteExpiredAllocations, Arguments().Time("now", now).Id("subnet", subnetId), cancellationToken)
            .ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToAllocation(dialect));
    }

    public async ValueTask<IReadOnlyList<Allocation>> SweepExpiredAllocationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var rows = await DeleteReturningAsync(Sql.SweepExpiredAllocations, Arguments().Int("limit", limit).Time("now", now), cancellationToken)
            .ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToAllocation(dialect));
    }

    /// <summary>
    /// Inserts the allocation on a prepared command, unless the address is taken or (given <paramref name="subnetRevision"/>)
    /// the subnet is at another revision; returns whether the subnet was current and whether the row was inserted.
    /// </summary>
    private async ValueTask<(bool SubnetCurrent, bool Inserted)> InsertAllocationAsync(
        Allocation allocation, long? subnetRevision, CancellationToken cancellationToken)
    {
        var modifiedBefore = Declare(WriteScope.AllocationRows);
        var arguments = InsertArgumentsOf(allocation, subnetRevision);
        try
        {
            var (current, rows) = subnetRevision is null
                ? (true, await ExecutePreparedNonQueryAsync(Sql.InsertAllocation, arguments, cancellationToken).ConfigureAwait(false))
                : await InsertAtRevisionAsync(arguments, cancellationToken).ConfigureAwait(false);
            return (current, Inserted(modifiedBefore, rows));
        }
        catch (DbException e) when (dialect.IsForeignKeyViolation(e))
        {
            throw new SubnetNotFoundException(allocation.SubnetId);
        }
    }

    /// <summary>Runs <see cref="SqlText.InsertAllocationAtRevision"/>: whether the subnet was at the revision, and the rows inserted.</summary>
    private async ValueTask<(bool SubnetCurrent, int Rows)> InsertAtRevisionAsync(SqlArguments arguments, CancellationToken cancellationToken)
    {
        if (await TryQueryRowDirectlyAsync(Sql.InsertAllocationAtRevision, arguments, cancellationToken).ConfigureAwait(false) is { } row)
        {
            return row.Length == 2
                ? (row[0] > 0, checked((int)row[1]))
                : throw new InvalidOperationException("The revision-checked allocation insert returned no row.");
        }

        var command = await PreparedAsync(Sql.InsertAllocationAtRevision, arguments).ConfigureAwait(false);
        try
        {
            return await ReadInsertOutcomeAsync(command, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseAsync(command).ConfigureAwait(false);
        }
    }

    /// <summary>The parameters of <see cref="SqlText.InsertAllocation"/>, and the revision of <see cref="SqlText.InsertAllocationAtRevision"/> when given.</summary>
    private SqlArguments InsertArgumentsOf(Allocation allocation, long? subnetRevision)
    {
        // In the order of SqlText.InsertAllocation's parameters, which a dialect may bind by position.
        var arguments = Arguments()
            .Id("subnet", allocation.SubnetId).Key("ip", allocation.Address).Text("owner", allocation.Owner).Text("description", allocation.Description)
            .Time("created", allocation.CreatedAt).Time("expires", allocation.ExpiresAt).Text("by", allocation.CreatedBy);
        return subnetRevision is { } revision ? arguments.BigInt("revision", revision) : arguments;
    }

    /// <summary>Settles an insert that changed <paramref name="rows"/> rows; returns whether it inserted.</summary>
    private bool Inserted(bool modifiedBefore, int rows)
    {
        Settle(WriteScope.AllocationRows, modifiedBefore, rows);
        return rows == 1;
    }

    private static async ValueTask<(bool SubnetCurrent, int Rows)> ReadInsertOutcomeAsync(PreparedStatement statement, CancellationToken cancellationToken)
    {
        await using var reader = await statement.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await ReadInsertOutcomeAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<(bool SubnetCurrent, int Rows)> ReadInsertOutcomeAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The revision-checked allocation insert returned no row.");
        }

        return (reader.GetInt64(0) > 0, checked((int)reader.GetInt64(1)));
    }

    /// <summary>Runs a delete of allocation rows that returns them, on a prepared command.</summary>
    private async ValueTask<List<AllocationRow>> DeleteReturningAsync(string sql, SqlArguments arguments, CancellationToken cancellationToken)
    {
        var modifiedBefore = Declare(WriteScope.AllocationRows);
        var rows = await QueryPreparedAsync<AllocationRow>(sql, arguments, cancellationToken).ConfigureAwait(false);
        Settle(WriteScope.AllocationRows, modifiedBefore, rows.Count);
        return rows;
    }
}
