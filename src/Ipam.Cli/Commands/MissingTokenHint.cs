namespace Ipam.Cli.Commands;

/// <summary>
/// Says how to send a token when a server that requires them got none: the server's own advice names the HTTP header,
/// which a user of the command line does not write.
/// </summary>
internal static class MissingTokenHint
{
    private const string UnauthenticatedCode = "unauthenticated";

    /// <summary>The failure told the command-line way, or <paramref name="failure"/> itself when a token was sent or it is another.</summary>
    public static ApiException Add(ApiException failure, bool tokenSent) =>
        failure.Code == UnauthenticatedCode && !tokenSent
            ? new ApiException(
                $"{UnauthenticatedCode}: the server requires an API token; give one with --token or ${ClientOptions.TokenVariable} (see 'ipam token create --help')",
                failure.Status, failure.Code, failure.Problem)
            : failure;
}
