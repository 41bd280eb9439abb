namespace Ipam.Storage.Sql;

/// <summary>
/// The check of unreadable rows (<c>ipam check</c>): every row of subnets, allocation pools and allocations read as the
/// service reads it (<see cref="StoredValues"/>), and each address checked against its subnet, one pass over each table.
/// </summary>
internal sealed partial class SqlSession
{
    public async ValueTask<(IReadOnlyList<UnreadableRow> First, long Count)> FindUnreadableRowsAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var found = new List<UnreadableRow>();
        long count = 0;
        void Found(UnreadableRow row)
        {
            if (count++ < limit)
            {
                found.Add(row);
            }
        }

        var subnets = await CheckSubnetsAsync(Found, cancellationToken).ConfigureAwait(false);
        await CheckAllocationPoolsAsync(subnets, Found, cancellationToken).ConfigureAwait(false);
        await CheckAllocationsAsync(subnets, Found, cancellationToken).ConfigureAwait(false);
        return (found, count);
    }

    /// <summary>Checks every subnet row; returns each readable id with its family and its network (null: the row is unreadable).</summary>
    private async ValueTask<Dictionary<Guid, (IpVersion Version, Cidr? Cidr)>> CheckSubnetsAsync(
        Action<UnreadableRow> found, CancellationToken cancellationToken)
    {
        var subnets = new Dictionary<Guid, (IpVersion, Cidr?)>();
        await ReadEachAsync(Sql.SelectSubnetsToCheck, reader =>
        {
            if (SmallNumber(reader.GetValue(1)) is not { } version || SmallNumber(reader.GetValue(3)) is not { } prefixLength)
            {
                var (column, stored) = SmallNumber(reader.GetValue(1)) is null ? ("ip_version", reader.GetValue(1)) : ("prefix_length", reader.GetValue(3));
                found(new UnreadableRow(SubnetRow.Table, $"(id {StoredValues.Describe(reader.GetValue(0))})", $"{column} holds {StoredValues.Describe(stored)}, not a number"));
                return;
            }

            var row = new SubnetRow
            {
                Id = reader.GetValue(0),
                IpVersion = version,
                Network = reader.GetValue(2),
                PrefixLength = prefixLength,
                Gateway = reader.IsDBNull(4) ? null : reader.GetValue(4),
                Ipv6AddressMode = reader.IsDBNull(5) ? null : reader.GetValue(5) as string ?? "",
                SubnetPoolId = reader.IsDBNull(8) ? null : reader.GetValue(8),
                CreatedAt = reader.GetValue(9),
            };
            try
            {
                var subnet = row.ToSubnet(dialect, []);
                subnets[subnet.Id] = (subnet.Version, subnet.Cidr);
            }
            catch (UnreadableRowException e)
            {
                found(e.Row);
                if (StoredId(row.Id) is { } id)
                {
                    subnets[id] = (row.Version, null);
                }
            }
        }, cancellationToken).ConfigureAwait(false);
        return subnets;
    }

    private async ValueTask CheckAllocationPoolsAsync(
        Dictionary<Guid, (IpVersion Version, Cidr? Cidr)> subnets, Action<UnreadableRow> found, CancellationToken cancellationToken) =>
        await ReadEachAsync(Sql.SelectAllocationPoolsToCheck, reader =>
        {
            if (StoredId(reader.GetValue(0)) is not { } subnetId || !subnets.TryGetValue(subnetId, out var subnet))
            {
                return;
            }

            var row = new RangeRow { FirstIp = reader.GetValue(1), LastIp = reader.GetValue(2) };
            try
            {
                var range = row.ToRange(subnetId, subnet.Version);
                if (subnet.Cidr is { } cidr && !(cidr.Contains(range.First) && cidr.Contains(range.Last)))
                {
                    found(new UnreadableRow(RangeRow.Table, $"(subnet_id {subnetId}, first_ip {StoredValues.Describe(row.FirstIp)})",
                        $"the range {range.First}-{range.Last} is not inside the subnet's {cidr}"));
                }
            }
            catch (UnreadableRowException e)
            {
                found(e.Row);
            }
        }, cancellationToken).ConfigureAwait(false);

    private async ValueTask CheckAllocationsAsync(
        Dictionary<Guid, (IpVersion Version, Cidr? Cidr)> subnets, Action<UnreadableRow> found, CancellationToken cancellationToken) =>
        await ReadEachAsync(Sql.SelectAllocationsToCheck, reader =>
        {
            if (StoredId(reader.GetValue(0)) is not { } subnetId || !subnets.TryGetValue(subnetId, out var subnet))
            {
                return;
            }

            var row = new AllocationRow { Ip = reader.GetValue(1), CreatedAt = reader.GetValue(2), ExpiresAt = reader.IsDBNull(3) ? null : reader.GetValue(3) };
            try
            {
                var address = row.ToAllocation(dialect, subnetId, subnet.Version).Address;
                if (subnet.Cidr is { } cidr && !cidr.Contains(address))
                {
                    found(new UnreadableRow(AllocationRow.Table, AllocationRow.KeyOf(subnetId, row.Ip), $"ip {address} is not inside the subnet's {cidr}"));
                }
            }
            catch (UnreadableRowException e)
            {
                found(e.Row);
            }
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>The small integer a column holds (SQLite keeps whatever a hand edit wrote); null when it holds none.</summary>
    private static int? SmallNumber(object stored) => stored switch
    {
        short value => value,
        int value => value,
        long value and >= int.MinValue and <= int.MaxValue => (int)value,
        _ => null,
    };

    /// <summary>The id a row's id column holds; null when it holds none (the subnet's own row is then reported).</summary>
    private Guid? StoredId(object stored)
    {
        try
        {
            return StoredValues.Id(dialect, stored, "id");
        }
        catch (StoredValueException)
        {
            return null;
        }
    }

    /// <summary>Runs <paramref name="sql"/> and hands each row to <paramref name="check"/> as it is read, keeping none.</summary>
    private async ValueTask ReadEachAsync(string sql, Action<DbDataReader> check, CancellationToken cancellationToken)
    {
        var command = await PreparedAsync(sql, Arguments()).ConfigureAwait(false);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                check(reader);
            }
        }
        finally
        {
            await ReleaseAsync(command).ConfigureAwait(false);
        }
    }
}
