namespace Ipam.Changes;

/// <summary>The kinds of change the log records, as the events feed names them.</summary>
public static class ChangeTypes
{
    public const string AllocationCreated = "allocation.created";
    public const string AllocationReleased = "allocation.released";
    public const string AllocationExpired = "allocation.expired";
    public const string SubnetCreated = "subnet.created";
    public const string SubnetUpdated = "subnet.updated";
    public const string SubnetDeleted = "subnet.deleted";
    public const string SubnetPoolCreated = "subnet-pool.created";
    public const string SubnetPoolUpdated = "subnet-pool.updated";
    public const string SubnetPoolDeleted = "subnet-pool.deleted";
    public const string AddressScopeCreated = "address-scope.created";
    public const string AddressScopeDeleted = "address-scope.deleted";
    public const string TokenCreated = "token.created";
    public const string TokenRevoked = "token.revoked";

    /// <summary>Whether a change of <paramref name="type"/> ended an allocation (released, expired, or its subnet deleted).</summary>
    public static bool EndsAllocation(string type) => type is AllocationReleased or AllocationExpired;
}
