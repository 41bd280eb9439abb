using System.Net;
using System.Runtime.CompilerServices;

namespace Ipam.Cli.Commands;

/// <summary>Follows a list endpoint's cursor one page at a time, so that only one page is held in memory.</summary>
internal static class ApiPages
{
    public const int PageSize = 1000;

    public static IAsyncEnumerable<JsonElement> ItemsAsync(ApiClient api, string path, CancellationToken cancellationToken) =>
        ItemsAsync(api, path, "items", cancellationToken);

    /// <summary>The same for a page whose array is named <paramref name="arrayName"/> (such as a pool's available <c>prefixes</c>).</summary>
    public static async IAsyncEnumerable<JsonElement> ItemsAsync(
        ApiClient api, string path, string arrayName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await api.GetAsync(new Query().With("limit", PageSize).With("cursor", cursor).AppendTo(path), cancellationToken);
            foreach (var item in page.GetProperty(arrayName).EnumerateArray())
            {
                yield return item;
            }

            var next = page.TryGetProperty("next", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (next is not null && next == cursor)
            {
                throw new ApiException($"the server returned the same cursor twice ({next}); stopped following pages", HttpStatusCode.OK, null, null);
            }

            cursor = next;
        }
        while (cursor is not null);
    }
}
