namespace Ipam.Api.Problems;

/// <summary>The HTTP status of each error code: the only place that knows it.</summary>
internal static class ErrorStatus
{
    public static int For(string code) => code switch
    {
        ErrorCodes.InvalidRequest or ErrorCodes.AddressOutsideSubnet or ErrorCodes.AddressReserved or
            ErrorCodes.InvalidAllocationPools or ErrorCodes.InvalidGateway or ErrorCodes.AddressModeConflict
            => StatusCodes.Status400BadRequest,
        ErrorCodes.SubnetNotFound or ErrorCodes.SubnetPoolNotFound or ErrorCodes.AddressScopeNotFound or
            ErrorCodes.AllocationNotFound or ErrorCodes.TokenNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.AddressInUse or ErrorCodes.PoolExhausted or ErrorCodes.InUse or ErrorCodes.PrefixUnavailable or
            ErrorCodes.QuotaExceeded or ErrorCodes.PrefixOverlap or ErrorCodes.AlreadyExists => StatusCodes.Status409Conflict,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.IdempotencyKeyMismatch => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.StoreUnavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.NotSupported => StatusCodes.Status501NotImplemented,
        ErrorCodes.UnreadableRow => StatusCodes.Status500InternalServerError,
        ErrorCodes.CursorExpired => StatusCodes.Status410Gone,
        _ => StatusCodes.Status500InternalServerError,
    };
}
