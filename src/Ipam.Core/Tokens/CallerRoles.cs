using System.Diagnostics.CodeAnalysis;

namespace Ipam.Tokens;

/// <summary>The names of the roles on the wire and on the command line: <c>admin</c>, <c>member</c>, <c>reader</c>.</summary>
public static class CallerRoles
{
    public const string Admin = "admin";
    public const string Member = "member";
    public const string Reader = "reader";

    public static string ToWire(CallerRole role) => role switch
    {
        CallerRole.Admin => Admin,
        CallerRole.Member => Member,
        CallerRole.Reader => Reader,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
    };

    public static bool TryParse(string? text, [NotNullWhen(true)] out CallerRole? role)
    {
        role = text switch
        {
            Admin => CallerRole.Admin,
            Member => CallerRole.Member,
            Reader => CallerRole.Reader,
            _ => null,
        };
        return role is not null;
    }
}
