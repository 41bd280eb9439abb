using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace Ipam.Api.Events;

/// <summary>
/// The events feed as server-sent events: each change as <c>id: cursor</c>, <c>event: type</c> and the event
/// JSON as data, from a starting cursor on, until the client goes away or the server stops. The headers have gone
/// out by then, so a database that becomes unavailable ends the stream (logged as a warning): the client reconnects
/// with the last id it saw, as it does after any break. So does a token revoked or expired while the stream lasts
/// (<see cref="StreamCaller"/>): the stream ends as soon as the instance sees the revocation in the log, after the
/// changes committed before it and before any committed after it, or at the expiry; the client's reconnection is then
/// refused with 401.
/// </summary>
internal static partial class EventStream
{
    private static readonly ReadOnlyMemory<byte> Heartbeat = ": heartbeat\n\n"u8.ToArray();

    public static async IAsyncEnumerable<SseItem<EventDto>> FollowAsync(
        EventFeed feed, ChangeQuery query, EventCursor cursors, StreamCaller caller, TimeSpan heartbeat, HttpResponse response, ILogger logger,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The headers go out now, so that a client knows the stream is open before the first change.
        await response.Body.FlushAsync(cancellationToken);
        if (HttpMethods.IsHead(response.HttpContext.Request.Method))
        {
            // The stream's headers are the whole answer to a HEAD.
            yield break;
        }

        var traceId = response.HttpContext.TraceIdentifier;
        while (!feed.Stopping)
        {
            // A wait ends at the token's expiry, or when the token's revocation is in the log (the query asks for it).
            if (await ReadAsync(feed, query, caller.UntilExpiry(heartbeat), logger, traceId, cancellationToken) is not { } changes)
            {
                yield break;
            }

            if (caller.RevocationIn(changes) is var revoked and >= 0)
            {
                // In commit order: what committed before the revocation goes out, nothing from it on.
                foreach (var change in changes.Take(revoked))
                {
                    yield return ItemOf(change, cursors);
                }

                LogTokenInvalid(logger, traceId);
                yield break;
            }

            // Checked after the read, which may have waited, and before anything of it goes out.
            if (!await StillValidAsync(caller, logger, traceId, cancellationToken))
            {
                yield break;
            }

            if (changes.Count == 0)
            {
                if (feed.Stopping)
                {
                    yield break;
                }

                // SseItem has no comment form. The formatter writes and flushes each item before it asks for the
                // next one, so while this iterator runs the response stream is idle and a comment can go between.
                await response.Body.WriteAsync(Heartbeat, cancellationToken);
                await response.Body.FlushAsync(cancellationToken);
                continue;
            }

            foreach (var change in changes)
            {
                yield return ItemOf(change, cursors);
            }

            query = query with { After = changes[^1].Sequence };
        }
    }

    private static SseItem<EventDto> ItemOf(Change change, EventCursor cursors)
    {
        var item = change.ToDto(cursors);
        return new SseItem<EventDto>(item, change.Type) { EventId = item.Id };
    }

    /// <summary>The next changes, or null when the database is unavailable.</summary>
    private static async Task<IReadOnlyList<Change>?> ReadAsync(
        EventFeed feed, ChangeQuery query, TimeSpan wait, ILogger logger, string traceId, CancellationToken cancellationToken)
    {
        try
        {
            return await feed.ReadAsync(query, wait, cancellationToken);
        }
        catch (StoreUnavailableException e)
        {
            LogEnded(logger, e, traceId, e.Message);
            return null;
        }
    }

    /// <summary>Whether the caller's token still holds; false, and logged, when it was revoked or expired or the database is unavailable.</summary>
    private static async Task<bool> StillValidAsync(StreamCaller caller, ILogger logger, string traceId, CancellationToken cancellationToken)
    {
        try
        {
            if (await caller.StillValidAsync(cancellationToken))
            {
                return true;
            }

            LogTokenInvalid(logger, traceId);
            return false;
        }
        catch (StoreUnavailableException e)
        {
            LogEnded(logger, e, traceId, e.Message);
            return false;
        }
    }

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Event stream {TraceId} ended: its token was revoked or has expired")]
    private static partial void LogTokenInvalid(ILogger logger, string traceId);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Event stream {TraceId} ended, the database is unavailable: {Reason}")]
    private static partial void LogEnded(ILogger logger, Exception exception, string traceId, string reason);
}
