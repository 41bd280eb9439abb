using System.Text;
using Ipam.History;

namespace Ipam.Storage.Sql;

/// <summary>History: allocation ends read from the change log by address, the holders of an address, an owner's allocations.</summary>
internal sealed partial class SqlSession
{
    public ValueTask<IReadOnlyList<Change>> ListAllocationEndsAsync(
        Guid subnetId, IpAddress address, long before, int limit, CancellationToken cancellationToken) =>
        ReadChangesAsync(
            Sql.SelectAllocationEnds,
            Arguments().Text("ip", address.ToString()).BigInt("before", before).Id("subnet", subnetId).Int("limit", limit),
            cancellationToken);

    public ValueTask<IReadOnlyList<Change>> ListAllocationEndsSpanningAsync(AddressHoldersQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var at = query.At ?? throw new ArgumentException("Allocation ends spanning a time need the time.", nameof(query));
        return ReadChangesAsync(Sql.SelectAllocationEndsSpanning, HolderArguments(query).Text("ip", query.Address.ToString()).Time("at", at), cancellationToken);
    }

    public async ValueTask<IReadOnlyList<AllocationPeriod>> ListAddressHoldersAsync(AddressHoldersQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var address = query.Address;
        var arguments = HolderArguments(query)
            .Text("networks", NetworksContaining(address))
            .Version("version", address.Version)
            .Key("ip", address)
            .Time("at", query.At);
        var periods = await connection.QueryAsync<AllocationRow, CidrRow, AllocationPeriod>(
            await CommandAsync(Sql.SelectAddressHolders, arguments, cancellationToken).ConfigureAwait(false),
            (allocation, cidr) => AllocationPeriods.Of(allocation.ToAllocation(dialect), cidr.ToCidr(address.Version)),
            splitOn: "network").ConfigureAwait(false);
        return periods.AsList();
    }

    /// <summary>The page's bounds: the key it starts after (the first page after the nil id and position 0, before every holder), its size, the tenant.</summary>
    private SqlArguments HolderArguments(AddressHoldersQuery query) =>
        Arguments()
            .Id("subnet", query.After?.SubnetId ?? Guid.Empty)
            .BigInt("seq", query.After?.Sequence ?? 0)
            .Int("limit", query.Limit)
            .Text("tenant", query.TenantId);

    public async ValueTask<IReadOnlyList<Allocation>> ListOwnerAllocationsAsync(OwnerAllocationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        // The first page starts after the lowest key: the nil id and the empty address key sort before every allocation.
        var arguments = Arguments()
            .Text("owner", query.Owner)
            .Id("subnet", query.After?.SubnetId ?? Guid.Empty)
            .KeyAfter("after", query.After?.Address)
            .Int("limit", query.Limit)
            .Text("tenant", query.TenantId);
        var rows = await QueryAsync<AllocationRow>(Sql.ListOwnerAllocations, arguments, cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToAllocation(dialect));
    }

    private async ValueTask<IReadOnlyList<Change>> ReadChangesAsync(string sql, SqlArguments arguments, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync<ChangeRow>(sql, arguments, cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToChange(dialect));
    }

    /// <summary>
    /// The networks that can contain <paramref name="address"/>, one per prefix length of its family, as the JSON
    /// array <see cref="SqlText.SelectAddressHolders"/> reads: [network key as hex, prefix length].
    /// </summary>
    private static string NetworksContaining(IpAddress address)
    {
        var bits = address.Family.Bits;
        var json = new StringBuilder(40 * (bits + 1)).Append('[');
        for (var length = 0; length <= bits; length++)
        {
            var network = Cidr.Containing(address, length).Network;
            json.Append(length == 0 ? "[\"" : ",[\"").Append(Convert.ToHexString(network.ToKey())).Append("\",").Append(length).Append(']');
        }

        return json.Append(']').ToString();
    }
}
