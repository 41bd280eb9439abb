using Ipam.Cli.Commands;

namespace Ipam.Cli;

/// <summary>The <c>ipam</c> command line: parses, runs one command, and maps every failure to one line and an exit code.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var terminal = new Terminal(stdout, stderr);
        try
        {
            ThrowIfNotUtf8(args);
            var parseResult = CreateRootCommand(terminal).Parse(args);
            if (parseResult.Errors.Count > 0 && parseResult.Action is not HelpExamples.WithExamplesAction)
            {
                var errors = string.Join(" ", parseResult.Errors.Select(e => Messages.OneLine(Messages.QuoteValues(e.Message, args))));
                throw new UsageException($"{errors} (see '{CommandPath(parseResult)} --help')");
            }

            return await parseResult.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            }, cancellationToken);
        }
        catch (CliException e)
        {
            await stderr.WriteLineAsync($"error: {Messages.ErrorLine(e.Message)}");
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Cancelled;
        }
#pragma warning disable CA1031 // The last resort: one line, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await stderr.WriteLineAsync($"error: unexpected {e.GetType().Name}: {Messages.ErrorLine(e.Message)}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>
    /// The runtime reads arguments as UTF-8 and puts U+FFFD where a byte sequence is not; stored, that would be a name or
    /// owner other than the one typed, so such an argument is refused as the API refuses a body that is not UTF-8.
    /// </summary>
    private static void ThrowIfNotUtf8(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].Contains('\uFFFD', StringComparison.Ordinal))
            {
                throw new UsageException(
                    $"argument {i + 1} ({Messages.Quote(args[i])}) is not valid UTF-8 (or holds U+FFFD, the mark of text that was not); give it in UTF-8");
            }
        }
    }

    public static RootCommand CreateRootCommand(Terminal terminal)
    {
        var client = new ClientOptions(terminal);
        var root = new RootCommand(
            "Ipam: IP address management. 'ipam serve' runs the server; the other commands talk to it over HTTP " +
            "(--server URL or $IPAM_SERVER; --token or $IPAM_TOKEN where the server requires tokens; add --json for the server's JSON). " +
            "Exit codes: 0 ok, 1 the request failed (the server refused it, or a database given with --database could not be used), 2 bad command line, 3 server unreachable, 4 ipam check found differences.")
            .WithExamples(
                "ipam serve --database sqlite:./ipam.db",
                "ipam subnet create 10.0.0.0/24 --name web",
                "ipam allocate 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --strategy next --owner vm-42",
                "ipam usage 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70");
        client.AddConnectionOptions(root);
        var serve = ServeCommand.Create(terminal);
        client.RefuseOn(serve, "ipam serve runs one (it listens on --urls)");
        root.Subcommands.Add(serve);
        root.Subcommands.Add(SubnetCommands.Create(client));
        root.Subcommands.Add(PoolCommands.Create(client));
        root.Subcommands.Add(ScopeCommands.Create(client));
        foreach (var command in AllocationCommands.Create(client))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(UsageCommand.Create(client));
        root.Subcommands.Add(HistoryCommand.Create(client));
        root.Subcommands.Add(EventsCommand.Create(client));
        root.Subcommands.Add(TokenCommands.Create(client));
        root.Subcommands.Add(ExportCommand.Create(client));
        root.Subcommands.Add(ImportCommand.Create(client));
        root.Subcommands.Add(CheckCommand.Create(client));
        root.Subcommands.Add(BackupCommand.Create(client));
        var completion = CompletionCommand.Create(terminal);
        client.RefuseOn(completion, "ipam completion only prints a script");
        root.Subcommands.Add(completion);
        HelpExamples.Install(root, client.NotFor);
        return root;
    }

    /// <summary>"ipam subnet create", for pointing at the right --help.</summary>
    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Add(result.Command.Name);
        }

        names.Add("ipam");
        names.Reverse();
        return string.Join(' ', names);
    }
}
