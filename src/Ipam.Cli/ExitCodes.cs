namespace Ipam.Cli;

/// <summary>The process exit codes of <c>ipam</c>; scripts rely on them.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The server answered with an error (problem details), or the server could not start.</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong: unknown command, missing argument, bad option value.</summary>
    public const int Usage = 2;

    /// <summary>No answer from the server: connection refused, DNS failure, timeout.</summary>
    public const int Unreachable = 3;

    /// <summary>A check found something inconsistent (<c>ipam check</c>: usage counters that differ from the rows).</summary>
    public const int Inconsistent = 4;

    /// <summary>Cancelled (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;
}
