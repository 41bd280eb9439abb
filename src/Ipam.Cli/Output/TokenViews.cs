using Ipam.Api.Tokens;

namespace Ipam.Cli.Output;

/// <summary>Tables for API tokens; a secret is shown only by <see cref="Created"/>, right after creation.</summary>
internal static class TokenViews
{
    public static IRenderable List(IReadOnlyList<TokenDto> tokens) => Tables.Resources(
        tokens,
        "No tokens.",
        t => t.Id,
        t => t.Name,
        new("ROLE", t => t.Role),
        new("TENANT", t => Formats.Text(t.TenantId)),
        new("CREATED", t => Formats.Time(t.CreatedAt)),
        new("EXPIRES", t => Formats.Time(t.ExpiresAt)),
        new("REVOKED", t => Formats.Time(t.RevokedAt)));

    public static IRenderable Created(CreatedTokenDto token) => Tables.Resource(token.Id, token.Name,
    [
        ("Role", token.Role),
        ("Tenant", Formats.Text(token.TenantId)),
        ("Expires", Formats.Time(token.ExpiresAt)),
        ("Token", token.Token),
    ]);
}
