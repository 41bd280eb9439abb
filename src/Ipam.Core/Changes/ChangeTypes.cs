namespace Ipam.Changes;

/// <summary>The kinds of change the log records, as the events feed names them.</summary>
public static class ChangeTypes
{
    // One line per resource: "<resource>.<what happened to it>".
    public const string AllocationCreated = "allocation.created", AllocationReleased = "allocation.released", AllocationExpired = "allocation.expired";
    public const string AllocationUpdated = "allocation.updated";
    public const string SubnetCreated = "subnet.created", SubnetUpdated = "subnet.updated", SubnetDeleted = "subnet.deleted";
    public const string SubnetPoolCreated = "subnet-pool.created", SubnetPoolUpdated = "subnet-pool.updated", SubnetPoolDeleted = "subnet-pool.deleted";
    public const string AddressScopeCreated = "address-scope.created", AddressScopeDeleted = "address-scope.deleted";
    public const string TokenCreated = "token.created", TokenRevoked = "token.revoked";

    /// <summary>Whether a change of <paramref name="type"/> ended an allocation (released, expired, or its subnet deleted).</summary>
    public static bool EndsAllocation(string type) => type is AllocationReleased or AllocationExpired;
}
