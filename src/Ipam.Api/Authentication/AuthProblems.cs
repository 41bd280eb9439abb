using Ipam.Api.Problems;
using Microsoft.AspNetCore.Mvc;

namespace Ipam.Api.Authentication;

/// <summary>The problem documents of refused callers: no valid token (401), too weak a role (403), too many requests (429).</summary>
internal sealed class AuthProblems(IProblemDetailsService problems)
{
    public const string UnauthenticatedCode = "unauthenticated";
    public const string ForbiddenCode = Ipam.Errors.ErrorCodes.Forbidden;
    public const string RateLimitedCode = "rate-limited";

    public static ProblemDetails Unauthenticated(TokenRefusal refusal) => Problem(
        StatusCodes.Status401Unauthorized,
        UnauthenticatedCode,
        "Authentication required.",
        refusal switch
        {
            TokenRefusal.Refused => "The token is unknown, expired or revoked.",
            TokenRefusal.SeveralCredentials =>
                "The request has more than one Authorization header (or credentials joined by a comma); send one: 'Authorization: Bearer <token>'.",
            TokenRefusal.OtherScheme => "The Authorization header is not a Bearer token; send an API token as 'Authorization: Bearer <token>' (ipam token create).",
            _ => "Send an API token as 'Authorization: Bearer <token>' (ipam token create).",
        });

    public static ProblemDetails Forbidden(string requiredRole)
    {
        var problem = Problem(StatusCodes.Status403Forbidden, ForbiddenCode, "Forbidden.", $"This needs a token with the {requiredRole} role.");
        problem.Extensions["required_role"] = requiredRole;
        return problem;
    }

    public static ProblemDetails RateLimited(TimeSpan retryAfter) => Problem(
        StatusCodes.Status429TooManyRequests,
        RateLimitedCode,
        "Too many requests.",
        $"This caller sent more requests than the server allows per second; retry after {Math.Ceiling(retryAfter.TotalSeconds)} s.");

    public Task WriteAsync(HttpContext context, ProblemDetails problem) => problems.WriteAsync(context, problem);

    private static ProblemDetails Problem(int status, string code, string title, string detail) => CodedProblems.Of(status, code, title, detail);
}
