using System.Diagnostics.CodeAnalysis;

namespace Ipam.Tokens;

/// <summary>The names of the roles on the wire and on the command line: <c>admin</c>, <c>member</c>, <c>reader</c>.</summary>
public static class CallerRoles
{
    public const string Admin = "admin", Member = "member", Reader = "reader";

    private static readonly WireNames<CallerRole> Names = new((CallerRole.Admin, Admin), (CallerRole.Member, Member), (CallerRole.Reader, Reader));

    public static string ToWire(CallerRole role) => Names.Of(role);

    public static bool TryParse(string? text, [NotNullWhen(true)] out CallerRole? role)
    {
        role = Names.TryParse(text, out var parsed) ? parsed : null;
        return role is not null;
    }
}
