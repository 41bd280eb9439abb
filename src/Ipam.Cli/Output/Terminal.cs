using System.Text.Encodings.Web;
using Spectre.Console;

namespace Ipam.Cli.Output;

/// <summary>
/// Where a command writes: tables through Spectre.Console, JSON and plain lines straight to stdout, messages to stderr.
/// Colours and terminal width are used only when stdout is the process's own, unredirected console.
/// </summary>
internal sealed class Terminal
{
    /// <summary>Wide enough that redirected tables (pipes, files, tests) never wrap a UUID or an IPv6 CIDR.</summary>
    private const int RedirectedWidth = 200;

    private static readonly JsonSerializerOptions PrettyJson = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public Terminal(TextWriter stdout, TextWriter stderr)
    {
        Out = stdout;
        Error = stderr;
        var interactive = ReferenceEquals(stdout, System.Console.Out) && !System.Console.IsOutputRedirected;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!interactive)
        {
            Console.Profile.Width = RedirectedWidth;
        }
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public IAnsiConsole Console { get; }

    public void Write(IRenderable renderable) => Console.Write(new TrailingSpaceTrimmed(new WordsKeptWhole(renderable)));

    /// <summary>One line of plain output, with control characters escaped.</summary>
    public void WriteLine(string text) => Out.WriteLine(TerminalText.Escape(text));

    /// <summary>
    /// Pretty-prints JSON as the server sent it (numbers keep every digit); control and bidi characters in strings
    /// are written as <c>\uXXXX</c> escapes, so the JSON is exact and the terminal never runs them.
    /// </summary>
    public void WriteJson(JsonElement json) => Out.WriteLine(TerminalText.EscapeJson(JsonSerializer.Serialize(json, PrettyJson)));

    /// <summary>JSON on one line, for output that is one JSON object per line.</summary>
    public void WriteJsonLine(JsonElement json) => Out.WriteLine(TerminalText.EscapeJson(JsonSerializer.Serialize(json)));

    /// <summary>A remark for people (e.g. "more pages"), on stderr so stdout stays parseable.</summary>
    public void Note(string text) => Error.WriteLine(TerminalText.Escape(text));
}
