namespace Ipam.Cli.Commands;

/// <summary>List commands: a command with its filters, made to page through a collection and print it.</summary>
internal static class ListCommands
{
    /// <summary>
    /// Adds <c>--limit</c>, <c>--cursor</c> and <c>--all</c> (for <paramref name="items"/>) to <paramref name="command"/>,
    /// which then lists the collection that <paramref name="request"/> names and prints it as <paramref name="view"/> renders it.
    /// </summary>
    public static Command Lists<T>(
        this Command command,
        ClientOptions client,
        string items,
        Func<ParseResult, (string Path, Query Query)> request,
        Func<IReadOnlyList<T>, IRenderable> view)
    {
        var paging = new PagingOptions(items);
        paging.AddTo(command);
        client.SetAction(command, (context, parseResult, cancellationToken) =>
        {
            var (path, query) = request(parseResult);
            return paging.PrintAsync(context, parseResult, path, query, view, cancellationToken);
        });
        return command;
    }
}
