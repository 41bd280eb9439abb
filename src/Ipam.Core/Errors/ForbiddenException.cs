namespace Ipam.Errors;

/// <summary>
/// The caller's role or tenant does not allow the request: a reader that writes, a member that names another
/// tenant or changes what its tenant does not own. <c>required_role</c> names the least role that may.
/// </summary>
public sealed class ForbiddenException(CallerRole requiredRole, string detail)
    : IpamException(ErrorCodes.Forbidden, "Forbidden.", detail,
        new Dictionary<string, object?> { ["required_role"] = requiredRole.ToString().ToLowerInvariant() })
{
    public CallerRole RequiredRole { get; } = requiredRole;
}
