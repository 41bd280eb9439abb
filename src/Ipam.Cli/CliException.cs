namespace Ipam.Cli;

/// <summary>A failure reported as one line on stderr and an exit code; never a stack trace.</summary>
internal class CliException(string message, int exitCode, Exception? innerException = null) : Exception(message, innerException)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>A command line that parsed but makes no sense (e.g. nothing to update).</summary>
internal sealed class UsageException(string message) : CliException(message, ExitCodes.Usage);
