using Ipam.Api;

namespace Ipam.Cli.Commands;

/// <summary><c>--limit</c>, <c>--cursor</c> and <c>--all</c> of a list command.</summary>
internal sealed class PagingOptions(string items)
{
    /// <summary>The API's largest page.</summary>
    private const int MaxLimit = 1000;

    private readonly Option<int?> limit = new("--limit")
    {
        Description = $"At most this many {items} per page (1 to {MaxLimit}; the server's default is 100).",
        HelpName = "N",
        CustomParser = ValueParsers.IntegerFrom(1, MaxLimit),
    };

    private readonly Option<string> cursor = new("--cursor")
    {
        Description = "Start after this cursor (the 'next' of the previous page).",
        HelpName = "CURSOR",
    };

    private readonly Option<bool> all = new("--all")
    {
        Description = $"Follow the cursors and list all {items}; --limit is then the page size.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(limit);
        command.Options.Add(cursor);
        command.Options.Add(all);
    }

    /// <summary>Lists <paramref name="path"/> page by page as the options say, and prints it as <paramref name="view"/> renders the items.</summary>
    public async Task PrintAsync<T>(
        CommandContext context, ParseResult parseResult, string path, Query query, Func<IReadOnlyList<T>, IRenderable> view, CancellationToken cancellationToken)
    {
        var page = await context.Api.ListAsync(
            path, query.With("limit", parseResult.GetValue(limit)), parseResult.GetValue(cursor), parseResult.GetValue(all), cancellationToken);
        context.Print<ItemsPage<T>>(page, p => view(p.Items));
        context.NotePaging(ApiClient.Read<ItemsPage<T>>(page).Next);
    }
}
