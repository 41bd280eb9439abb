using System.Net;
using System.Runtime.InteropServices;
using Ipam.Api;
using Ipam.Api.Events;
using Ipam.Errors;

namespace Ipam.Cli.Commands;

/// <summary><c>ipam events</c>: the change log, one line per event, once or following it.</summary>
internal static class EventsCommand
{
    /// <summary>How long one request of --follow waits on the server for the next event.</summary>
    private const int FollowWaitSeconds = 30;

    private const int MaxLimit = 1000;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    public static Command Create(ClientOptions client)
    {
        var after = CommonOptions.Value("--after", "CURSOR",
            "Start after this cursor (an event's id, or the cursor printed last time); default: the start of the log (its oldest change kept). " +
            "A cursor the retention has overtaken is refused (cursor-expired, exit 1).");
        var limit = CommonOptions.Parsed<int?>("--limit", "N", ValueParsers.IntegerFrom(1, MaxLimit),
            $"At most this many events per request (1 to {MaxLimit}; the server's default is 100).");
        var tenant = CommonOptions.TenantFilter("events");
        var follow = new Option<bool>("--follow", "-f")
        {
            Description = "Keep printing events as they are committed, until Ctrl+C (or SIGTERM). An unreachable server, an unavailable database or a " +
                "rate limit is retried (after 1 s, then twice as long each time up to 30 s) from the last event printed; on any stop the " +
                "command says how to go on from there. A cursor older than the server's retention (--history-days) is not retried: " +
                "resynchronize, then start again with --after 0.",
        };

        var command = new Command(
            "events",
            "Print the change log: every committed change in commit order, one line each (time, type, subnet or pool/scope id, address, actor). " +
            "--json prints one JSON object per line.")
        {
            after, limit, tenant, follow,
        }.WithExamples(
            "ipam events",
            "ipam events --follow",
            "ipam events --after 1234 --limit 50",
            "ipam events --follow --tenant project-a --json | jq .type");
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            context.JsonLines = true;
            var query = new Query().With("limit", parseResult.GetValue(limit)).With("tenant_id", parseResult.GetValue(tenant));
            var cursor = parseResult.GetValue(after);
            if (!parseResult.GetValue(follow))
            {
                string next;
                try
                {
                    next = await PrintPageAsync(context, query.With("after", cursor), cancellationToken);
                }
                catch (ApiException e) when (e.Code == ErrorCodes.CursorExpired)
                {
                    throw Expired(e, cursor);
                }

                if (!context.Json)
                {
                    context.Terminal.Note($"Next: ipam events --after {next}");
                }

                return;
            }

            using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            void StopFollowing(PosixSignalContext signal)
            {
                // Stop following instead of killing the process: the last lines are written whole, and the cursor.
                signal.Cancel = true;
                interrupted.Cancel();
            }

            using var ctrlC = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopFollowing);
            using var stop = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopFollowing);
            var retry = TimeSpan.Zero;
            try
            {
                while (true)
                {
                    try
                    {
                        cursor = await PrintPageAsync(context, query.With("after", cursor).With("wait", FollowWaitSeconds), interrupted.Token);
                        if (retry > TimeSpan.Zero)
                        {
                            context.Terminal.Note("Reconnected; following again.");
                            retry = TimeSpan.Zero;
                        }
                    }
                    catch (CliException e) when (IsPassing(e))
                    {
                        // A restart, a failover or a rate limit passes: keep the place and ask again, ever more slowly.
                        // Sooner than the server asked would only be refused again.
                        retry = retry == TimeSpan.Zero ? FirstRetry : TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
                        var wait = e is ApiException { RetryAfter: { } asked } && asked > retry ? asked : retry;
                        context.Terminal.Note($"{e.Message.TrimEnd('.')}; retrying in {Math.Ceiling(wait.TotalSeconds):0} s.");
                        await Task.Delay(wait, interrupted.Token);
                    }
                }
            }
            catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
            {
                // Following ends only this way; it is not an error.
                NoteResume(context, cursor);
            }
            catch (ApiException e) when (e.Status == HttpStatusCode.BadRequest)
            {
                // The server refused the request itself (the cursor, the tenant): going on from the same cursor would be refused
                // again, and the server's message says where to go on instead.
                throw;
            }
            catch (ApiException e) when (e.Code == ErrorCodes.CursorExpired)
            {
                // Asking again from the same cursor would be refused again, and going on from it is what must not happen.
                throw Expired(e, cursor);
            }
            catch (CliException)
            {
                NoteResume(context, cursor);
                throw;
            }
        }, "Print each event as the API's JSON object, one per line, instead of a table (an error as one line too).");
        return command;
    }

    /// <summary>Whether a failure is one that passes by itself: no answer at all, an unavailable database, a rate limit, a gateway.</summary>
    private static bool IsPassing(CliException failure) => failure is ServerUnreachableException || failure is ApiException
    {
        Status: HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout,
    };

    /// <summary>The server's 410 <c>cursor-expired</c> in this command's terms: the cursor it gave, and the option to start again with.</summary>
    private static ApiException Expired(ApiException refused, string? cursor) => new(
        $"{ErrorCodes.CursorExpired}: the changes after cursor {cursor} were removed by the server's change-log retention " +
        "(ipam serve --history-days) before they were read; resynchronize from the current state, then start again with --after 0 " +
        "(the oldest change kept).",
        refused.Status, refused.Code, refused.Problem);

    private static void NoteResume(CommandContext context, string? cursor)
    {
        if (cursor is not null)
        {
            context.Terminal.Note($"To go on from here: ipam events --follow --after {cursor}");
        }
    }

    /// <summary>Gets one page and prints its events; returns its <c>next</c> cursor.</summary>
    private static async Task<string> PrintPageAsync(CommandContext context, Query query, CancellationToken cancellationToken)
    {
        var response = await context.Api.GetAsync(query.AppendTo(Paths.Events), cancellationToken);
        var page = ApiClient.Read<ItemsPage<JsonElement>>(response);
        foreach (var item in page.Items)
        {
            context.Terminal.WriteLine(context.Json ? item.GetRawText() : EventViews.Line(ApiClient.Read<EventDto>(item)));
        }

        return page.Next ?? throw new ApiException("the server's events page has no next cursor", System.Net.HttpStatusCode.OK, null, null);
    }
}
