using System.Text;

namespace Ipam.Cli.Output;

/// <summary>
/// Text from the server made safe to print: every character <see cref="UnsafeText"/> names is shown as an escape
/// (<c>\x1b</c>, <c>\u202e</c>) instead of being run by the terminal or reordering what follows it.
/// </summary>
internal static class TerminalText
{
    public static string Escape(string text) => Escape(text, keep: "", json: false);

    /// <summary>The same, keeping <c>\n</c> line breaks: for multi-line table cells the CLI built itself.</summary>
    public static string EscapeLines(string text) => Escape(text, keep: "\n", json: false);

    /// <summary>
    /// Serialized JSON with every unsafe character inside its strings written as a <c>\uXXXX</c> escape, so the
    /// text stays exact JSON; outside strings only the indentation's line breaks can occur, and they stay.
    /// </summary>
    public static string EscapeJson(string json) => Escape(json, keep: "\r\n", json: true);

    private static string Escape(string text, string keep, bool json)
    {
        if (UnsafeText.IndexOfUnsafe(text) < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!UnsafeText.IsUnsafe(c) || keep.Contains(c, StringComparison.Ordinal))
            {
                escaped.Append(c);
            }
            else
            {
                escaped.Append(c <= '\u00ff' && !json
                    ? string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}")
                    : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"));
            }
        }

        return escaped.ToString();
    }
}
