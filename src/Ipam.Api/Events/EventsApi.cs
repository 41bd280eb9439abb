using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace Ipam.Api.Events;

public static class EventsApi
{
    /// <summary>The longest long-poll, in seconds.</summary>
    public const int MaxWaitSeconds = 60;

    private const string EventStreamType = "text/event-stream";

    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/events", ListEvents).WithTags("Events").WithName(nameof(ListEvents))
            .WithSummary($"Every committed change in commit order after a cursor; wait long-polls (up to {MaxWaitSeconds} s); Accept: {EventStreamType} streams them (SSE).")
            // A long-poll waits up to a minute and a stream lasts as long as its client: the overall request
            // deadline, meant for requests that wait on the database, would cut both short.
            .DisableRequestTimeout()
            .AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
            {
                // The page and the stream are both 200, of which the result types leave the document one.
                if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
                {
                    response.Content ??= new Dictionary<string, OpenApiMediaType>();
                    response.Content["application/json"] = new()
                    {
                        Schema = await context.ReferenceAsync(typeof(ItemsPage<EventDto>), "ItemsPageOfEventDto", cancellationToken),
                    };
                }
            });
        return routes;
    }

    /// <remarks>
    /// <paramref name="tenant_id"/> filters the feed to one tenant's changes; <see cref="ChangeFeed"/> decides what
    /// the caller may see (a caller limited to a tenant sees only its own).
    /// </remarks>
    public static async Task<Results<Ok<ItemsPage<EventDto>>, ServerSentEventsResult<EventDto>, ChallengeHttpResult, ProblemHttpResult>> ListEvents(
        HttpContext context, ChangeFeed changeFeed, ChangeSignal signal, IHostApplicationLifetime lifetime, ICallerContext caller,
        EventCursorKeys cursorKeys, IpamHostOptions options, LogEndWatch logEnd, EventFollowers followers, CancellationToken cancellationToken,
        string? after = null, int? limit = null, int? wait = null, int? tail = null, string? tenant_id = null,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventId = null)
    {
        var feed = new EventFeed(changeFeed, signal, logEnd, lifetime.ApplicationStopping);
        var waitFor = TimeSpan.FromSeconds(wait switch
        {
            null => 0,
            >= 0 and <= MaxWaitSeconds => wait.Value,
            _ => throw ValidationException.InvalidRequest("wait", $"wait must be from 0 to {MaxWaitSeconds} seconds."),
        });
        var cursors = await cursorKeys.ForAsync(caller, cancellationToken);
        var tokenHolder = StreamCaller.Of(context);
        var cursorField = string.IsNullOrEmpty(lastEventId) ? "after" : "Last-Event-ID";
        var tailCount = string.IsNullOrEmpty(lastEventId) ? TailOf(after, tail) : null;
        var query = changeFeed.Authorize(new ChangeQuery
        {
            After = string.IsNullOrEmpty(lastEventId)
                ? (after is null ? 0 : cursors.Parse("after", after))
                : cursors.Parse(cursorField, lastEventId),
            Limit = Input.Limit(limit),
            TenantId = Input.TenantId("tenant_id", tenant_id),

            // A wait ends when the caller's token is revoked, and the revocation tells where (StreamCaller).
            RevocationOf = tokenHolder.TokenId,
        });
        if (tailCount is { } count)
        {
            query = query with { After = await feed.TailStartAsync(query, count, cancellationToken) };
        }

        var cursorGiven = tailCount is null ? (string.IsNullOrEmpty(lastEventId) ? after : lastEventId) : null;
        await CheckCursorAsync(feed, query, cursorField, cursorGiven, caller.TenantId is null, cancellationToken);

        var streams = WantsEventStream(context.Request);
        if ((streams || waitFor > TimeSpan.Zero) && EventFollowerProblems.Enter(followers, context, options) is { } refused)
        {
            return TypedResults.Problem(refused);
        }

        if (streams)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EventStream).FullName!);
            return TypedResults.ServerSentEvents(EventStream.FollowAsync(
                feed, query, cursors, tokenHolder, options.EventHeartbeatInterval, context.Response, logger, cancellationToken));
        }

        var changes = await feed.ReadAsync(query, tokenHolder.UntilExpiry(waitFor), cancellationToken);
        if (tokenHolder.RevocationIn(changes) >= 0 || !await tokenHolder.StillValidAsync(cancellationToken))
        {
            // A long-poll whose token was revoked (the wait ends when the revocation is in the log) or expired while it
            // waited answers as a new request would, whether or not anything was committed meanwhile.
            return TypedResults.Challenge(authenticationSchemes: [BearerToken.Scheme]);
        }

        // Never null: a follower at the end of the log keeps its place and asks again. For a caller limited to a tenant
        // that place is the cursor it gave, one of its own changes or the start of the log (tail): never a position that
        // other tenants' changes decide, so equal requests get equal cursors whatever they do meanwhile.
        var next = cursors.Of(changes.Count == 0 ? query.After : changes[^1].Sequence);
        return TypedResults.Ok(new ItemsPage<EventDto>([.. changes.Select(c => c.ToDto(cursors))], next));
    }

    /// <summary>
    /// How many of the latest changes a page without a Last-Event-ID (which a reconnecting stream sends, and which
    /// wins) starts before: <paramref name="tail"/>, checked; null when the page starts after <paramref name="after"/>
    /// or at the start. The changes counted are those the page shows: a caller limited to a tenant (or an admin who
    /// names one) counts that tenant's only, so that where it starts, what it shows and the cursor it is given are the
    /// same whatever other tenants do (see <see cref="ChangeFeed.TailStartAsync"/>).
    /// </summary>
    private static int? TailOf(string? after, int? tail)
    {
        if (tail is null)
        {
            return null;
        }

        if (after is not null)
        {
            throw ValidationException.InvalidRequest("tail", "Give after or tail, not both.");
        }

        return tail is < 1 or > Input.MaxLimit
            ? throw ValidationException.InvalidRequest("tail", $"tail must be from 1 to {Input.MaxLimit}.")
            : tail.Value;
    }

    /// <summary>
    /// Refuses a cursor past the end of the log. No cursor the feed gave can be (the log's last change is never
    /// pruned), unless the database was put back to an older copy: new changes will take the numbers up to the cursor,
    /// and a follower that went on waiting there would miss them without a word. Only a caller who sees every tenant is
    /// told where the log ends: the number counts every tenant's changes.
    /// Then refuses, with 410, a cursor the caller gave (<paramref name="given"/>; none for tail) that lies before how
    /// far retention pruned the changes the query reads: one of them after the cursor is gone, and going on from the
    /// oldest kept would skip it without a word. A query of one tenant's changes is measured against that tenant's
    /// pruned changes only, so nothing other tenants do decides the answer. Checked when the request starts: a stream
    /// or long-poll already reading is not stopped if pruning overtakes it (retention is at least a day).
    /// </summary>
    private static async Task CheckCursorAsync(
        EventFeed feed, ChangeQuery query, string field, string? given, bool seesEveryTenant, CancellationToken cancellationToken)
    {
        if (query.After <= 0)
        {
            return;
        }

        var (prunedThrough, end) = await feed.BoundsAsync(query, cancellationToken);
        if (query.After > end)
        {
            throw ValidationException.InvalidRequest(field,
                // A sealed cursor's position is not shown to the tenant it was sealed for: that is what the seal hides.
                $"{(seesEveryTenant ? $"Cursor {query.After}" : "The cursor")} is past the end of the change log: the database may have been restored from an older copy. " +
                (seesEveryTenant ? $"Follow again from {end}, or from the start." : "Follow again from its end (tail=1), or from the start."));
        }

        if (given is not null && query.After < prunedThrough)
        {
            throw new CursorExpiredException(field, given);
        }
    }

    private static bool WantsEventStream(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(accepted => accepted.MediaType.Equals(EventStreamType, StringComparison.OrdinalIgnoreCase));
}
