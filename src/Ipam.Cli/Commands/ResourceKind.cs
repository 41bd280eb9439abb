namespace Ipam.Cli.Commands;

/// <summary>
/// A kind of resource as the commands name it (e.g. "subnet pool", listed by <c>ipam pool list</c>), with the
/// commands that every kind has in the same form: an id argument, and verbs that act on one resource by id.
/// </summary>
internal sealed record ResourceKind(string Name, string ListCommand, Func<Guid, string> Path)
{
    public static readonly ResourceKind Subnet = new("subnet", "ipam subnet list", Paths.Subnet);

    public static readonly ResourceKind SubnetPool = new("subnet pool", "ipam pool list", Paths.SubnetPool);

    public static readonly ResourceKind AddressScope = new("address scope", "ipam scope list", Paths.AddressScope);

    public Argument<Guid> IdArgument(string name = "ID") => new(name)
    {
        Description = $"The {Name}'s id (a UUID, see '{ListCommand}').",
        CustomParser = ValueParsers.ResourceId(Name, ListCommand),
    };

    /// <summary>An option naming a resource of this kind, e.g. <c>--scope SCOPE_ID</c>.</summary>
    public Option<Guid?> IdOption(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result => ValueParsers.ResourceId(Name, ListCommand)(result),
    };

    /// <summary><c>show ID</c>: the resource as <paramref name="view"/> renders it.</summary>
    public Command ShowCommand<TDto>(ClientOptions client, string description, Func<TDto, IRenderable> view, params string[] examples)
        where TDto : class =>
        ByIdCommand(client, "show", description, examples, async (context, _, id, cancellationToken) =>
            context.Print(await context.Api.GetAsync(Path(id), cancellationToken), view));

    /// <summary><c>delete ID</c>; with <paramref name="force"/>, <c>--force</c> asks the server to delete what is in the way too.</summary>
    public Command DeleteCommand(ClientOptions client, string description, string[] examples, Option<bool>? force = null) =>
        ByIdCommand(client, "delete", description, examples, async (context, parseResult, id, cancellationToken) =>
        {
            var forced = force is not null && parseResult.GetValue(force);
            try
            {
                await context.Api.DeleteAsync(new Query().With("force", forced ? "true" : null).AppendTo(Path(id)), cancellationToken);
            }
            catch (ApiException e) when (force is not null && !forced && e.Code == "in-use")
            {
                // The server's advice names the API's force=true; say it as this command's option, once.
                const string serverAdvice = "delete with force, which releases them";
                var message = e.Message.Contains(serverAdvice, StringComparison.Ordinal)
                    ? e.Message.Replace(serverAdvice, $"add {force.Name}, which releases them", StringComparison.Ordinal)
                    : $"{e.Message} Add {force.Name} to release them and delete it.";
                throw new ApiException(message, e.Status, e.Code, e.Problem);
            }

            context.Confirm($"Deleted {Name} {id}.");
        }, jsonDescription: ClientOptions.NoBodyJson, options: force is null ? [] : [force]);

    /// <summary>A command on one resource of this kind, named by an id argument.</summary>
    public Command ByIdCommand(
        ClientOptions client,
        string name,
        string description,
        string[] examples,
        Func<CommandContext, ParseResult, Guid, CancellationToken, Task> action,
        string argumentName = "ID",
        string? jsonDescription = null,
        params Option[] options)
    {
        var id = IdArgument(argumentName);
        var command = new Command(name, description) { id }.WithExamples(examples);
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        client.SetAction(command, (context, parseResult, cancellationToken) =>
            action(context, parseResult, parseResult.GetRequiredValue(id), cancellationToken), jsonDescription);
        return command;
    }
}
