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
}
