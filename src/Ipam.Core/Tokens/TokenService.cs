namespace Ipam.Tokens;

/// <summary>
/// API tokens: create (the secret is returned once), list, revoke, and validate what a caller presents. Validation
/// reads the database every time, so a revocation or expiry holds on every instance from the next request on.
/// </summary>
public sealed class TokenService
{
    private readonly IIpamStore store;
    private readonly ChangeLog changes;
    private readonly TimeProvider time;

    /// <summary>Called by <c>AddIpam</c>, which supplies the change log.</summary>
    internal TokenService(IIpamStore store, ChangeLog changes, TimeProvider time) =>
        (this.store, this.changes, this.time) = (store, changes, time);

    public Task<CreatedToken> CreateAsync(CreateTokenCommand command, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        Validate(command, now);
        var id = Guid.CreateVersion7(now);
        var (secret, hash) = TokenSecret.Create(id);
        var token = new Token
        {
            Id = id,
            Name = command.Name,
            Role = command.Role,
            TenantId = command.TenantId,
            SecretHash = hash,
            CreatedAt = now,
            ExpiresAt = command.ExpiresIn is { } lifetime ? now + lifetime : command.ExpiresAt,
            CreatedBy = changes.Actor,
        };
        return store.WriteAsync(async (session, ct) =>
        {
            await session.InsertTokenAsync(token, ct).ConfigureAwait(false);
            changes.TokenChanged(session, ChangeTypes.TokenCreated, null, token, token.CreatedAt);
            return new CreatedToken(token, secret);
        }, cancellationToken);
    }

    public Task<Token> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        store.ReadOneAsync((session, ct) => session.FindTokenAsync(id, ct), () => new TokenNotFoundException(id), cancellationToken);

    public Task<IReadOnlyList<Token>> ListAsync(TokenQuery query, CancellationToken cancellationToken = default) =>
        store.ReadAsync((session, ct) => session.ListTokensAsync(query, ct), cancellationToken);

    /// <summary>Revokes the token from now on; revoking a revoked token changes nothing.</summary>
    public Task RevokeAsync(Guid id, CancellationToken cancellationToken = default) =>
        store.WriteAsync(async (session, ct) =>
        {
            var token = await session.FindTokenAsync(id, ct).ConfigureAwait(false) ?? throw new TokenNotFoundException(id);
            var now = time.GetUtcNow();
            if (await session.RevokeTokenAsync(id, now, ct).ConfigureAwait(false))
            {
                changes.TokenChanged(session, ChangeTypes.TokenRevoked, token, token with { RevokedAt = now }, now);
            }

            return true;
        }, cancellationToken);

    /// <summary>The token <paramref name="presented"/> names when its secret matches and it is neither revoked nor expired; otherwise null.</summary>
    public async Task<Token?> ValidateAsync(string presented, CancellationToken cancellationToken = default)
    {
        if (!TokenSecret.TryParse(presented, out var id, out var hash))
        {
            return null;
        }

        var token = await store.ReadAsync((session, ct) => session.FindTokenAsync(id, ct), cancellationToken).ConfigureAwait(false);
        return token is not null && TokenSecret.Matches(hash, token.SecretHash.Span) && token.IsValidAt(time.GetUtcNow()) ? token : null;
    }

    /// <summary>
    /// Refuses a token <paramref name="command"/> may not make at <paramref name="now"/>, as an <c>invalid-request</c>
    /// naming the field: the rule of every way a token is made, with or without a server.
    /// </summary>
    public static void Validate(CreateTokenCommand command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        TenantIds.Check("tenant_id", command.TenantId);
        FreeText.Check("name", command.Name);
        if (command.Role == CallerRole.Admin && command.TenantId is not null)
        {
            throw ValidationException.InvalidRequest("tenant_id", "An admin token sees every tenant: give no tenant_id.");
        }

        if (command.Role != CallerRole.Admin && string.IsNullOrWhiteSpace(command.TenantId))
        {
            throw ValidationException.InvalidRequest("tenant_id", "A member or reader token needs a tenant_id.");
        }

        if (!Enum.IsDefined(command.Role))
        {
            throw ValidationException.InvalidRequest("role", "role must be admin, member or reader.");
        }

        if (command.ExpiresIn is { } lifetime && (command.ExpiresAt is not null || lifetime <= TimeSpan.Zero || lifetime > TokenLifetime.Longest))
        {
            throw ValidationException.InvalidRequest("expires_in", command.ExpiresAt is not null
                ? "Give expires_at or expires_in, not both."
                : $"expires_in takes {TokenLifetime.Form}.");
        }

        if (command.ExpiresAt is { } expires && expires <= now)
        {
            throw ValidationException.InvalidRequest("expires_at", "expires_at must be in the future.");
        }

        // The same bound as expires_in: a token meant never to expire is made without either.
        if (command.ExpiresAt is { } end && end - now > TokenLifetime.Longest)
        {
            throw ValidationException.InvalidRequest("expires_at", $"expires_at must be at most {TokenLifetime.Longest.TotalDays:0} days ahead; leave it out for a token that does not expire.");
        }
    }
}
