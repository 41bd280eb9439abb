using System.Globalization;

namespace Ipam.Api.Events;

/// <summary>
/// The cursor of the events feed: a change's position in commit order, as decimal text. Clients treat it as
/// opaque; "0" is the start of the log.
/// </summary>
internal static class EventCursor
{
    public static string Of(long sequence) => sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>The position <paramref name="text"/> names; anything else is an invalid request naming <paramref name="field"/>.</summary>
    public static long Parse(string field, string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : throw ValidationException.InvalidRequest(field, $"'{text}' is not an events cursor; pass the id of an event or the next of a page.");
}
