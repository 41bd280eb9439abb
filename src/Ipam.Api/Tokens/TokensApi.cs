namespace Ipam.Api.Tokens;

/// <summary><c>/v1/tokens</c>: API tokens, for admins only.</summary>
public static class TokensApi
{
    public static IEndpointRouteBuilder MapTokens(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/tokens").WithTags("Tokens").RequireAuthorization(BearerToken.AdminPolicy);
        group.MapPost("/", CreateToken).WithName(nameof(CreateToken)).WithSummary("Create an API token; the answer shows its secret, this once.");
        group.MapGet("/", ListTokens).WithName(nameof(ListTokens)).WithSummary("List API tokens (never their secrets).");
        group.MapGet("/{id}", GetToken).WithName(nameof(GetToken)).WithSummary("Show an API token (never its secret).");
        group.MapDelete("/{id}", RevokeToken).WithName(nameof(RevokeToken)).WithSummary("Revoke an API token: refused by every instance from the next request on.");
        return routes;
    }

    public static async Task<Created<CreatedTokenDto>> CreateToken(CreateTokenBody body, TokenService tokens, CancellationToken cancellationToken)
    {
        var created = await tokens.CreateAsync(body.ToCommand(), cancellationToken);
        return TypedResults.Created($"/v1/tokens/{created.Token.Id}", created.ToDto());
    }

    public static Task<Ok<ItemsPage<TokenDto>>> ListTokens(
        TokenService tokens, CancellationToken cancellationToken, int? limit = null, string? cursor = null) =>
        Paging.ListAsync(new TokenQuery(), cursor, limit, tokens.ListAsync, t => t.ToDto(), t => t.Id, cancellationToken);

    public static async Task<Ok<TokenDto>> GetToken(string id, TokenService tokens, CancellationToken cancellationToken) =>
        TypedResults.Ok((await tokens.GetAsync(Input.Id("id", id), cancellationToken)).ToDto());

    public static async Task<NoContent> RevokeToken(string id, TokenService tokens, CancellationToken cancellationToken)
    {
        await tokens.RevokeAsync(Input.Id("id", id), cancellationToken);
        return TypedResults.NoContent();
    }
}
