using System.CommandLine.Parsing;

namespace Ipam.Cli.Commands;

/// <summary>
/// The options every client command shares (<c>--server</c>, <c>--token</c>, <c>--json</c>), and the wiring that gives each command
/// an <see cref="ApiClient"/> for the chosen server. <c>--server</c> and <c>--token</c> are the root's recursive options, so
/// that they may stand before the command (<c>ipam --server URL subnet list</c>) as well as after it; <c>--json</c> is each
/// command's own, as what it prints differs from command to command.
/// </summary>
internal sealed class ClientOptions(Terminal terminal)
{
    public const string ServerVariable = "IPAM_SERVER";
    public const string DefaultServer = "http://127.0.0.1:5080";
    public const string TokenVariable = "IPAM_TOKEN";

    private readonly Option<Uri?> server = new("--server")
    {
        Recursive = true,
        Description = $"The Ipam server's base URL (also ${ServerVariable}).",
        HelpName = "URL",
        DefaultValueFactory = _ => ValueParsers.DefaultServer(),
        CustomParser = ValueParsers.ServerUrl,
    };

    /// <summary>No default from the environment here: help would print it, and it is a secret.</summary>
    private readonly Option<string> token = new("--token")
    {
        Recursive = true,
        Description = $"The API token to send as 'Authorization: Bearer' (also ${TokenVariable}; prefer the variable, as arguments show in process lists).",
        HelpName = "TOKEN",
    };

    private readonly HashSet<Command> serverless = [];

    /// <summary>The <c>--json</c> of a command whose request the server answers with no body.</summary>
    public const string NoBodyJson = "Print nothing when it succeeds (the server answers with no body); a refusal as the server's JSON problem document.";

    private readonly Option<bool> jsonResponse = new("--json")
    {
        Description = "Print the server's JSON response, pretty-printed, instead of a table.",
    };

    /// <summary>Puts <c>--server</c> and <c>--token</c> on <paramref name="root"/>, from where every command takes them.</summary>
    public void AddConnectionOptions(RootCommand root)
    {
        root.Options.Add(server);
        root.Options.Add(token);
    }

    /// <summary>
    /// Refuses <c>--server</c> and <c>--token</c> on <paramref name="command"/>, which talks to no server: given, they would be
    /// ignored, and a command that was meant to reach one would quietly do something else. <paramref name="onlyWith"/>: the
    /// option with which a command that otherwise talks to a server does not.
    /// </summary>
    public void RefuseOn(Command command, string why, Option? onlyWith = null)
    {
        if (onlyWith is null)
        {
            serverless.Add(command);
        }

        command.Validators.Add(result => Refuse(result, why, onlyWith));
    }

    /// <summary>The connection options, which the help of a command that talks to no server leaves out.</summary>
    public IReadOnlyList<Option> NotFor(Command command) => serverless.Contains(command) ? [server, token] : [];

    private void Refuse(CommandResult result, string why, Option? onlyWith)
    {
        if (onlyWith is not null && !result.Given(onlyWith))
        {
            return;
        }

        var given = new Option[] { server, token }.FirstOrDefault(o => result.GetResult(o) is { Implicit: false });
        if (given is not null)
        {
            result.AddError($"{given.Name} is for the commands that talk to a server; {why}.");
        }
    }

    /// <summary>
    /// Adds <c>--json</c> to <paramref name="command"/> and runs <paramref name="action"/> with a client;
    /// <paramref name="jsonDescription"/> describes <c>--json</c> for a command that prints something else than the one response.
    /// </summary>
    public void SetAction(Command command, Func<CommandContext, ParseResult, CancellationToken, Task> action, string? jsonDescription = null)
    {
        var json = jsonDescription is null ? jsonResponse : new Option<bool>("--json") { Description = jsonDescription };
        command.Options.Add(json);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var bearer = parseResult.GetValue(token) ?? Environment.GetEnvironmentVariable(TokenVariable);
            if (bearer is not null && bearer.Any(c => c is <= ' ' or > '~'))
            {
                // The token itself is not repeated: it is a secret, and its stray character may not print.
                throw new UsageException(
                    $"the API token (--token or ${TokenVariable}) holds a space, a line break or a character outside ASCII, which no Ipam token has");
            }

            var url = parseResult.GetValue(server) ?? throw new UsageException(ValueParsers.BadServerVariable());
            var tokenSent = !string.IsNullOrEmpty(bearer);
            using var api = new ApiClient(url, tokenSent ? bearer : null);
            var context = new CommandContext(api, terminal, parseResult.GetValue(json));
            try
            {
                await action(context, parseResult, cancellationToken);
            }
            catch (ApiException e)
            {
                if (context.Json && e.Problem is { } problem)
                {
                    // Like `gh api`: the error body on stdout for scripts, the one-line message on stderr.
                    if (context.JsonLines)
                    {
                        terminal.WriteJsonLine(problem);
                    }
                    else
                    {
                        terminal.WriteJson(problem);
                    }
                }

                throw await OtherKindHint.AddAsync(api, MissingTokenHint.Add(e, tokenSent), cancellationToken);
            }

            return ExitCodes.Ok;
        });
    }
}
