namespace Ipam.Cli;

/// <summary>Text helpers for messages on stderr.</summary>
internal static class Messages
{
    /// <summary>Joins the lines of <paramref name="text"/> with spaces: every error is one line.</summary>
    public static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The most of a value an error quotes; a longer one is cut, with its length.</summary>
    public const int QuotedLength = 100;

    /// <summary>A value someone gave, quoted for an error: <c>'10.0.0.300'</c>, or its start, "…" and its length when longer than <see cref="QuotedLength"/>.</summary>
    public static string Quote(string value)
    {
        if (value.Length <= QuotedLength)
        {
            return $"'{value}'";
        }

        var cut = char.IsHighSurrogate(value[QuotedLength - 1]) ? QuotedLength - 1 : QuotedLength;
        return $"'{value[..cut]}…' ({value.Length} characters)";
    }

    /// <summary>
    /// A parser's own error (an unknown command, a value not among the choices), which quotes the value in full: each
    /// of <paramref name="values"/> it quotes is quoted as <see cref="Quote"/> does.
    /// </summary>
    public static string QuoteValues(string message, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            if (value.Length > QuotedLength)
            {
                message = message.Replace($"'{value}'", Quote(value), StringComparison.Ordinal);
            }
        }

        return message;
    }

    /// <summary>An error for stderr: one line, and any control character the server's text held shown escaped.</summary>
    public static string ErrorLine(string text) => TerminalText.Escape(OneLine(text));
}
