namespace Ipam.Storage.Sql;

/// <summary>API tokens.</summary>
internal sealed partial class SqlSession
{
    public async ValueTask<Token?> FindTokenAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = await FindByIdAsync<TokenRow>(Sql.SelectToken, id, RowLock.None, cancellationToken).ConfigureAwait(false);
        return row?.ToToken(dialect);
    }

    public async ValueTask<IReadOnlyList<Token>> ListTokensAsync(TokenQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = await QueryAsync<TokenRow>(Sql.SelectTokens, Page(query), cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToToken(dialect));
    }

    public async ValueTask InsertTokenAsync(Token token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var arguments = Arguments()
            .Id("id", token.Id).Text("name", token.Name).Text("role", CallerRoles.ToWire(token.Role)).Text("tenant", token.TenantId)
            .Bytes("hash", token.SecretHash).Time("created", token.CreatedAt).Time("expires", token.ExpiresAt).Text("by", token.CreatedBy);
        await WriteAsync(WriteScope.OtherRows, Sql.InsertToken, arguments, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> RevokeTokenAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken) =>
        await WriteAsync(WriteScope.OtherRows, Sql.RevokeToken, Arguments().Id("id", id).Time("at", at), cancellationToken).ConfigureAwait(false) > 0;
}
