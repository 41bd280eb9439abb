using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Ipam.Api.Authentication;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> API tokens against the database on every request (one read by
/// primary key), so a revoked or expired token is refused by every instance from the next request on. Refusals
/// are 401 <c>unauthenticated</c> or 403 <c>forbidden</c> problem documents. Neither a secret nor anything
/// derived from it is ever logged.
/// </summary>
/// <remarks>
/// The base handler logs every challenge and every request without a result at Information under this class's
/// category, which the host holds to warnings (a flood of 401s would fill the log); the refusal of a token that was
/// presented goes to <see cref="RefusalCategory"/> instead, once per request.
/// </remarks>
internal sealed partial class BearerTokenHandler(
    IOptionsMonitor<BearerTokenOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenService tokens, AuthProblems problems)
    : AuthenticationHandler<BearerTokenOptions>(options, logger, encoder)
{
    public const string RefusalCategory = "Ipam.Api.Authentication.Refusals";

    private readonly ILogger refusals = logger.CreateLogger(RefusalCategory);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Options.Required ? AuthenticateResult.NoResult() : Success(CallerClaims.Anonymous());
        }

        // Two headers arrive joined by a comma, which no token holds.
        if (header.Contains(',', StringComparison.Ordinal))
        {
            return Refuse(TokenRefusal.SeveralCredentials, "The request has more than one Authorization credential.");
        }

        if (BearerToken.PresentedSecret(Request) is not { } secret)
        {
            return Refuse(TokenRefusal.OtherScheme, "The Authorization header is not a Bearer token.");
        }

        var token = await tokens.ValidateAsync(secret, Context.RequestAborted);
        if (token is null)
        {
            LogRefused(refusals, Request.Path);
            return Refuse(TokenRefusal.Refused, "The token is unknown, expired or revoked.");
        }

        return Success(CallerClaims.For(token));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var refusal = Context.Items.TryGetValue(typeof(TokenRefusal), out var kept) && kept is TokenRefusal found ? found : TokenRefusal.Missing;
        Response.Headers[HeaderNames.WWWAuthenticate] = refusal switch
        {
            TokenRefusal.Refused => $"{BearerToken.Scheme} error=\"invalid_token\"",
            TokenRefusal.SeveralCredentials => $"{BearerToken.Scheme} error=\"invalid_request\"",
            _ => BearerToken.Scheme,
        };
        await problems.WriteAsync(Context, AuthProblems.Unauthenticated(refusal));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        problems.WriteAsync(Context, AuthProblems.Forbidden(CallerRoles.Admin));

    /// <summary>A failed authentication, keeping why for the challenge that answers it.</summary>
    private AuthenticateResult Refuse(TokenRefusal refusal, string message)
    {
        Context.Items[typeof(TokenRefusal)] = refusal;
        return AuthenticateResult.Fail(message);
    }

    private AuthenticateResult Success(System.Security.Claims.ClaimsPrincipal principal) =>
        AuthenticateResult.Success(new AuthenticationTicket(principal, BearerToken.Scheme));

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "A request to {Path} presented a token that is unknown, expired or revoked")]
    private static partial void LogRefused(ILogger logger, PathString path);
}
