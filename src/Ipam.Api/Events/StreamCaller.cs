using System.Diagnostics;

namespace Ipam.Api.Events;

/// <summary>
/// The caller of an event stream, checked again while the stream lasts. The token was checked when the stream
/// opened; a stream outlives that check by hours, so a token revoked or expired since must end it, as it would refuse
/// the caller's next request.
/// </summary>
internal sealed class StreamCaller(TokenService tokens, string? presentedSecret)
{
    /// <summary>How long a check holds: a revoked token gets no event committed more than this after the revocation was seen.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private long checkedAt = Stopwatch.GetTimestamp();

    public static StreamCaller Of(HttpContext context) =>
        new(context.RequestServices.GetRequiredService<TokenService>(), BearerToken.PresentedSecret(context.Request));

    /// <summary>Whether the token the stream opened with is still valid (always, for a caller without one).</summary>
    public async Task<bool> StillValidAsync(CancellationToken cancellationToken)
    {
        if (presentedSecret is null || Stopwatch.GetElapsedTime(checkedAt) < RecheckInterval)
        {
            return true;
        }

        var token = await tokens.ValidateAsync(presentedSecret, cancellationToken);
        checkedAt = Stopwatch.GetTimestamp();
        return token is not null;
    }
}
