using Microsoft.AspNetCore.Authentication;

namespace Ipam.Api.Authentication;

internal sealed class BearerTokenOptions : AuthenticationSchemeOptions
{
    /// <summary>Whether a request must present a token (<c>ipam serve --auth on</c>).</summary>
    public bool Required { get; set; }
}
