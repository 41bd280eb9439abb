using Ipam.Tokens;

namespace Ipam.Storage;

/// <summary>API tokens.</summary>
public partial interface IIpamSession
{
    /// <summary>The token, revoked or expired ones included, or null.</summary>
    ValueTask<Token?> FindTokenAsync(Guid id, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<Token>> ListTokensAsync(TokenQuery query, CancellationToken cancellationToken);

    ValueTask InsertTokenAsync(Token token, CancellationToken cancellationToken);

    /// <summary>Marks the token revoked at <paramref name="at"/>; false when it does not exist or was revoked already.</summary>
    ValueTask<bool> RevokeTokenAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken);
}
