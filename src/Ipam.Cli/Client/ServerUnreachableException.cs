namespace Ipam.Cli.Client;

/// <summary>No HTTP answer at all from the server.</summary>
internal sealed class ServerUnreachableException(Uri server, string reason, Exception? innerException = null)
    : CliException($"cannot reach Ipam at {server.GetLeftPart(UriPartial.Authority)}: {reason}", ExitCodes.Unreachable, innerException);
