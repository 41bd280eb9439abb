namespace Ipam.Storage.Sql.Rows;

/// <summary>A row of <c>allocation_pools</c>: an address range.</summary>
internal sealed class RangeRow
{
    public const string Table = "allocation_pools";

    /// <summary>The first address's key; any stored value, as <see cref="AllocationRow.Ip"/>.</summary>
    public object FirstIp { get; set; } = null!;

    public object LastIp { get; set; } = null!;

    /// <exception cref="UnreadableRowException">The row holds a value the service never writes.</exception>
    public AddressRange ToRange(Guid subnetId, IpVersion version)
    {
        try
        {
            var (first, last) = (StoredValues.Address(FirstIp, version, "first_ip"), StoredValues.Address(LastIp, version, "last_ip"));
            return first.Value <= last.Value
                ? new AddressRange(first, last)
                : throw new StoredValueException("last_ip", $"{last} comes before first_ip {first}");
        }
        catch (StoredValueException e)
        {
            throw e.Of(Table, $"(subnet_id {subnetId}, first_ip {StoredValues.Describe(FirstIp)})");
        }
    }
}
