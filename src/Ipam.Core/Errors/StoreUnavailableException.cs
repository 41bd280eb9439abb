namespace Ipam.Errors;

/// <summary>The database could not complete the work (disk full, I/O error, connection lost). Nothing was changed.</summary>
public sealed class StoreUnavailableException(string detail, Exception? inner = null)
    : IpamException(ErrorCodes.StoreUnavailable, "Database unavailable.", detail)
{
    public Exception? Cause { get; } = inner;
}
