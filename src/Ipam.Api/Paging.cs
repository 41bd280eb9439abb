namespace Ipam.Api;

/// <summary>
/// Cursor paging of the list endpoints. The store is asked for one item more than the page holds: that item
/// tells whether another page follows, so the last page has <c>next</c> = null.
/// </summary>
internal static class Paging
{
    /// <summary>How many items to read from the store for the <c>limit</c> query parameter (validated).</summary>
    public static int FetchLimit(int? limit) => Input.Limit(limit) + 1;

    /// <summary>
    /// The page of what the store returned for <paramref name="fetchLimit"/>: the items but the extra one, and
    /// the cursor of the last of them when more follow.
    /// </summary>
    public static ItemsPage<TDto> Page<T, TDto>(IReadOnlyList<T> fetched, int fetchLimit, Func<T, TDto> toDto, Func<T, string> cursorOf)
    {
        var items = fetched.Take(fetchLimit - 1).ToList();
        var next = fetched.Count == fetchLimit ? cursorOf(items[^1]) : null;
        return new ItemsPage<TDto>([.. items.Select(toDto)], next);
    }

    /// <summary>
    /// One page of a list endpoint: <paramref name="filters"/> (validated by the caller first) with the page's
    /// cursor and limit, validated in that order, read by <paramref name="list"/> and mapped to the answer.
    /// </summary>
    public static async Task<Ok<ItemsPage<TDto>>> ListAsync<TQuery, T, TDto>(
        TQuery filters,
        string? cursor,
        int? limit,
        Func<TQuery, CancellationToken, Task<IReadOnlyList<T>>> list,
        Func<T, TDto> toDto,
        Func<T, Guid> idOf,
        CancellationToken cancellationToken)
        where TQuery : KeysetQuery<Guid>
    {
        // A with-expression keeps the runtime record type, so the cast back cannot fail.
        var query = (TQuery)(filters with { After = cursor is null ? null : Input.Id("cursor", cursor), Limit = FetchLimit(limit) });
        var fetched = await list(query, cancellationToken);
        return TypedResults.Ok(Page(fetched, query.Limit, toDto, item => idOf(item).ToString()));
    }
}
