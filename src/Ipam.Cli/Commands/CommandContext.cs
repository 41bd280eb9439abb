namespace Ipam.Cli.Commands;

/// <summary>What a client command works with: the API, the output, and whether to print JSON.</summary>
internal sealed class CommandContext(ApiClient api, Terminal terminal, bool json)
{
    public ApiClient Api { get; } = api;

    public Terminal Terminal { get; } = terminal;

    public bool Json { get; } = json;

    /// <summary>Whether the command's JSON output is one object per line, so that an error body must be one line too.</summary>
    public bool JsonLines { get; set; }

    /// <summary>Prints a response: as JSON with <c>--json</c>, otherwise rendered from <typeparamref name="T"/>.</summary>
    public void Print<T>(JsonElement response, Func<T, IRenderable> render)
        where T : class
    {
        if (Json)
        {
            Terminal.WriteJson(response);
        }
        else
        {
            Terminal.Write(render(ApiClient.Read<T>(response)));
        }
    }

    /// <summary>Tells people what was done; with <c>--json</c> nothing, as the server answered with no body.</summary>
    public void Confirm(string message)
    {
        if (!Json)
        {
            Terminal.WriteLine(message);
        }
    }

    /// <summary>Says how to get the next page when a list was cut short.</summary>
    public void NotePaging(string? next)
    {
        if (next is not null && !Json)
        {
            Terminal.Note($"More results: repeat with --cursor {next}, or use --all.");
        }
    }
}
