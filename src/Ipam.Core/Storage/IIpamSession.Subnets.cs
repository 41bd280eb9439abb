namespace Ipam.Storage;

/// <summary>Subnets, each read and written with its allocation pools.</summary>
public partial interface IIpamSession
{
    /// <summary>
    /// The subnet, or null. With <see cref="RowLock.ForUpdate"/> the subnet is held until the unit of work ends,
    /// so that a gateway or pool change checks the allocations against a subnet no concurrent allocation can
    /// use meanwhile.
    /// </summary>
    ValueTask<Subnet?> FindSubnetAsync(Guid id, RowLock rowLock, CancellationToken cancellationToken);

    /// <summary>The subnet's current revision, or null when it does not exist; cheaper than loading it.</summary>
    /// <remarks>
    /// A store with concurrent transactions share-locks the row: allocations never block each other, but a
    /// pool or gateway change (or a delete) waits until this unit ends, so it validates against committed rows.
    /// </remarks>
    ValueTask<long?> FindSubnetRevisionAsync(Guid id, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<Subnet>> ListSubnetsAsync(SubnetQuery query, CancellationToken cancellationToken);

    ValueTask InsertSubnetAsync(Subnet subnet, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the subnet's mutable fields and pools, storing <see cref="Subnet.Revision"/>.
    /// Throws <see cref="Errors.SubnetNotFoundException"/> when the subnet does not exist.
    /// </summary>
    ValueTask UpdateSubnetAsync(Subnet subnet, CancellationToken cancellationToken);

    /// <summary>Deletes the subnet and, with it, its pools and allocations; false when it did not exist.</summary>
    ValueTask<bool> DeleteSubnetAsync(Guid id, CancellationToken cancellationToken);
}
