namespace Ipam.Errors;

/// <summary>
/// The database could not complete the work (disk full, I/O error, connection lost). Nothing was changed, unless
/// <see cref="OutcomeUnknown"/>.
/// </summary>
public sealed class StoreUnavailableException(string detail, Exception? inner = null)
    : IpamException(ErrorCodes.StoreUnavailable, "Database unavailable.", detail)
{
    public Exception? Cause { get; } = inner;

    /// <summary>True when the change may have been made after all (the commit was sent, its answer was lost).</summary>
    public bool OutcomeUnknown { get; init; }
}
