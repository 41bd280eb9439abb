namespace Ipam.Errors;

/// <summary>The closed catalogue of error codes a client can see.</summary>
public static class ErrorCodes
{
    public const string InvalidRequest = "invalid-request";
    public const string SubnetNotFound = "subnet-not-found";
    public const string SubnetPoolNotFound = "subnet-pool-not-found";
    public const string AddressScopeNotFound = "address-scope-not-found";
    public const string AllocationNotFound = "allocation-not-found";
    public const string AddressOutsideSubnet = "address-outside-subnet";
    public const string AddressReserved = "address-reserved";
    public const string AddressInUse = "address-in-use";
    public const string PoolExhausted = "pool-exhausted";
    public const string InvalidAllocationPools = "invalid-allocation-pools";
    public const string InvalidGateway = "invalid-gateway";
    public const string AddressModeConflict = "address-mode-conflict";
    public const string PrefixUnavailable = "prefix-unavailable";
    public const string QuotaExceeded = "quota-exceeded";
    public const string PrefixOverlap = "prefix-overlap";
    public const string InUse = "in-use";
    public const string IdempotencyKeyMismatch = "idempotency-key-mismatch";
    public const string StoreUnavailable = "store-unavailable";
    public const string AlreadyExists = "already-exists";
    public const string Forbidden = "forbidden";
    public const string TokenNotFound = "token-not-found";
    public const string NotSupported = "not-supported";
    public const string UnreadableRow = "unreadable-row";
    public const string CursorExpired = "cursor-expired";
}
