namespace Ipam.Changes;

/// <summary>
/// Who the current request acts for. The change log records <see cref="Actor"/> as each change's actor; the
/// services decide from <see cref="Role"/> and <see cref="TenantId"/> what the caller may see and change.
/// </summary>
public interface ICallerContext
{
    /// <summary>The actor of the current request (a token id, or <see cref="Actors.Anonymous"/>).</summary>
    string Actor { get; }

    /// <summary>What the caller may do.</summary>
    CallerRole Role { get; }

    /// <summary>The one tenant the caller acts in; null for a caller that sees every tenant (an admin, or anyone when authentication is off).</summary>
    string? TenantId { get; }
}
