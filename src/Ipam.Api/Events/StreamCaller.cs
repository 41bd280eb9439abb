using System.Diagnostics;

namespace Ipam.Api.Events;

/// <summary>
/// The caller of an event stream or a long-poll, checked again while it lasts. The token was checked when the request
/// came in; a stream outlives that check by hours, so a token revoked or expired since must end it, as it would refuse
/// the caller's next request.
/// </summary>
/// <remarks>
/// A revocation is a change in the log (<see cref="ChangeTypes.TokenRevoked"/>), which the follower reads anyway: its
/// query asks for the token's revocation too (<see cref="ChangeQuery.RevocationOf"/>), so a wait ends as soon as the
/// instance sees the revocation (at once when it was made here, within a poll of the log when another instance made
/// it), and the changes committed before it, and none after it, go out. An expiry is known from the start: a wait
/// ends at it. The token's row is read again at most every <see cref="RecheckInterval"/> as well, for a change to it
/// that the log does not hold.
/// </remarks>
internal sealed class StreamCaller(TokenService tokens, TimeProvider time, string? presentedSecret, Guid? tokenId, DateTimeOffset? expiresAt)
{
    /// <summary>How long a read of the token's row holds.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private long checkedAt = Stopwatch.GetTimestamp();

    /// <summary>The token the request presented; null for a caller without one (authentication off).</summary>
    public Guid? TokenId => tokenId;

    public static StreamCaller Of(HttpContext context)
    {
        var (tokenId, expiresAt) = CallerClaims.TokenOf(context.User);
        var services = context.RequestServices;
        return new(services.GetRequiredService<TokenService>(), services.GetRequiredService<TimeProvider>(),
            BearerToken.PresentedSecret(context.Request), tokenId, expiresAt);
    }

    /// <summary><paramref name="wait"/>, cut short at the token's expiry (none: at once).</summary>
    public TimeSpan UntilExpiry(TimeSpan wait)
    {
        if (expiresAt is not { } expires)
        {
            return wait;
        }

        var left = expires - time.GetUtcNow();
        return left <= TimeSpan.Zero ? TimeSpan.Zero : left < wait ? left : wait;
    }

    /// <summary>Where the token's revocation is in <paramref name="changes"/> (read in commit order); -1 when it is not there.</summary>
    public int RevocationIn(IReadOnlyList<Change> changes)
    {
        if (TokenId is not { } id)
        {
            return -1;
        }

        for (var i = 0; i < changes.Count; i++)
        {
            if (changes[i].Type == ChangeTypes.TokenRevoked && changes[i].ResourceId == id)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether the token the request presented is still valid (always, for a caller without one).</summary>
    public async Task<bool> StillValidAsync(CancellationToken cancellationToken)
    {
        if (presentedSecret is null)
        {
            return true;
        }

        if (expiresAt is { } expires && time.GetUtcNow() >= expires)
        {
            return false;
        }

        if (Stopwatch.GetElapsedTime(checkedAt) < RecheckInterval)
        {
            return true;
        }

        var token = await tokens.ValidateAsync(presentedSecret, cancellationToken);
        checkedAt = Stopwatch.GetTimestamp();
        return token is not null;
    }
}
