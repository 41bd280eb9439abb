namespace Ipam.Cli;

/// <summary>Text helpers for messages on stderr.</summary>
internal static class Messages
{
    /// <summary>Joins the lines of <paramref name="text"/> with spaces: every error is one line.</summary>
    public static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
