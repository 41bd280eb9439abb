namespace Ipam.Cli;

/// <summary>Text helpers for messages on stderr.</summary>
internal static class Messages
{
    /// <summary>Joins the lines of <paramref name="text"/> with spaces: every error is one line.</summary>
    public static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>An error for stderr: one line, and any control character the server's text held shown escaped.</summary>
    public static string ErrorLine(string text) => TerminalText.Escape(OneLine(text));
}
