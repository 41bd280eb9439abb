namespace Ipam.Api.Authentication;

/// <summary>
/// Why a request that needs a token was not authenticated: what its 401 <c>unauthenticated</c> says, and which
/// <c>WWW-Authenticate</c> challenge it carries (RFC 6750, section 3.1).
/// </summary>
internal enum TokenRefusal
{
    /// <summary>No <c>Authorization</c> header.</summary>
    Missing,

    /// <summary>An <c>Authorization</c> header of another scheme (<c>Basic</c>, ...): no API token was presented.</summary>
    OtherScheme,

    /// <summary>More than one <c>Authorization</c> header, or credentials joined by a comma: which one counts is not for the server to guess.</summary>
    SeveralCredentials,

    /// <summary>A Bearer token that is unknown, expired or revoked (or not of the form of one).</summary>
    Refused,
}
