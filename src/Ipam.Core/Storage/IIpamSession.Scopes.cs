namespace Ipam.Storage;

/// <summary>Address scopes.</summary>
public partial interface IIpamSession
{
    /// <summary>
    /// The scope, or null. With <see cref="RowLock.ForUpdate"/> the scope is held until the unit of work ends,
    /// so that pool changes within one scope (whose overlap checks read the other pools of the scope) run one
    /// at a time.
    /// </summary>
    ValueTask<AddressScope?> FindAddressScopeAsync(Guid id, RowLock rowLock, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<AddressScope>> ListAddressScopesAsync(AddressScopeQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// A prefix of a pool in the scope, other than <paramref name="exceptSubnetPoolId"/>, that overlaps
    /// <paramref name="range"/>; null when there is none.
    /// </summary>
    ValueTask<(Guid SubnetPoolId, Cidr Prefix)?> FindScopePrefixOverlappingAsync(
        Guid addressScopeId, Guid exceptSubnetPoolId, AddressRange range, CancellationToken cancellationToken);

    ValueTask InsertAddressScopeAsync(AddressScope scope, CancellationToken cancellationToken);

    /// <summary>Deletes the scope; false when it did not exist.</summary>
    ValueTask<bool> DeleteAddressScopeAsync(Guid id, CancellationToken cancellationToken);
}
