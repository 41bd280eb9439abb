using Ipam.Addressing;
using Ipam.SubnetPools;
using Ipam.Scopes;

namespace Ipam.Storage;

/// <summary>The unit-of-work operations on address scopes, subnet pools and the subnets allocated from them.</summary>
public partial interface IIpamSession
{
    ValueTask<AddressScope?> FindAddressScopeAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the scope and holds it until the unit of work ends, so that pool changes within one scope (whose
    /// overlap checks read the other pools of the scope) run one at a time. SQLite's single writer already
    /// serialises units of work; a store with concurrent transactions must lock the row.
    /// </summary>
    ValueTask<AddressScope?> LockAddressScopeAsync(Guid id, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<AddressScope>> ListAddressScopesAsync(AddressScopeQuery query, CancellationToken cancellationToken);

    ValueTask InsertAddressScopeAsync(AddressScope scope, CancellationToken cancellationToken);

    /// <summary>Deletes the scope; false when it did not exist.</summary>
    ValueTask<bool> DeleteAddressScopeAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The number of subnet pools that reference the scope.</summary>
    ValueTask<long> CountScopeSubnetPoolsAsync(Guid addressScopeId, CancellationToken cancellationToken);

    /// <summary>
    /// A prefix of a pool in the scope, other than <paramref name="exceptSubnetPoolId"/>, that overlaps
    /// <paramref name="range"/>; null when there is none.
    /// </summary>
    ValueTask<(Guid SubnetPoolId, Cidr Prefix)?> FindScopePrefixOverlappingAsync(
        Guid addressScopeId, Guid exceptSubnetPoolId, AddressRange range, CancellationToken cancellationToken);

    /// <summary>The pool with its prefixes (ascending), or null.</summary>
    ValueTask<SubnetPool?> FindSubnetPoolAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the pool and holds it until the unit of work ends, so that prefix allocations, quota checks and
    /// changes of one pool run one at a time. SQLite's single writer already serialises units of work; a
    /// store with concurrent transactions must lock the row.
    /// </summary>
    ValueTask<SubnetPool?> LockSubnetPoolAsync(Guid id, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<SubnetPool>> ListSubnetPoolsAsync(SubnetPoolQuery query, CancellationToken cancellationToken);

    ValueTask InsertSubnetPoolAsync(SubnetPool pool, CancellationToken cancellationToken);

    /// <summary>Replaces the pool's mutable fields and its prefixes, storing <see cref="SubnetPool.Revision"/>.</summary>
    ValueTask UpdateSubnetPoolAsync(SubnetPool pool, CancellationToken cancellationToken);

    /// <summary>Deletes the pool and its prefixes; false when it did not exist.</summary>
    ValueTask<bool> DeleteSubnetPoolAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The number of subnets allocated from the pool.</summary>
    ValueTask<long> CountPoolSubnetsAsync(Guid subnetPoolId, CancellationToken cancellationToken);

    /// <summary>The CIDRs of every subnet allocated from the pool, ascending; used to rebuild the prefix index.</summary>
    ValueTask<IReadOnlyList<Cidr>> ListPoolSubnetCidrsAsync(Guid subnetPoolId, IpVersion version, CancellationToken cancellationToken);

    /// <summary>
    /// A subnet allocated from the pool that overlaps <paramref name="range"/>, or null. The subnets of a pool
    /// never overlap each other (this check, made before every insert, keeps it so), which lets a store answer
    /// with two index lookups: a subnet starting inside the range, or the last one starting before it.
    /// </summary>
    ValueTask<Cidr?> FindPoolSubnetOverlappingAsync(Guid subnetPoolId, AddressRange range, CancellationToken cancellationToken);

    /// <summary>How many subnets of each prefix length the tenant (null: subnets without one) holds in the pool.</summary>
    ValueTask<IReadOnlyList<(int PrefixLength, long Count)>> CountPoolSubnetsByPrefixLengthAsync(
        Guid subnetPoolId, string? tenantId, CancellationToken cancellationToken);
}
