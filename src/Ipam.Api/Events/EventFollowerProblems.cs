using System.Globalization;
using Ipam.Api.Problems;
using Microsoft.AspNetCore.Mvc;

namespace Ipam.Api.Events;

/// <summary>
/// Admits an event stream or a long-poll (<see cref="EventFollowers"/>), or refuses it with <c>too-many-followers</c>
/// and a Retry-After: 429 when the caller holds as many as one caller may, 503 when the instance serves as many as it
/// may (another instance may have room).
/// </summary>
internal static class EventFollowerProblems
{
    public const string TooManyFollowersCode = "too-many-followers";

    /// <summary>
    /// The follower's lease on its place, registered to be released when the request ends; or, when it is refused, the
    /// problem to answer (the Retry-After header is set).
    /// </summary>
    public static ProblemDetails? Enter(EventFollowers followers, HttpContext context, IpamHostOptions options)
    {
        var caller = options.RequiresTokens ? RequestRateLimit.PartitionOf(context) : null;
        var (lease, refused) = followers.TryEnter(caller);
        if (lease is not null)
        {
            context.Response.RegisterForDispose(lease);
            return null;
        }

        var seconds = EventFollowers.RetryAfter.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.RetryAfter = seconds;
        return refused == EventFollowerLimit.Caller
            ? Problem(StatusCodes.Status429TooManyRequests, "Too many event followers.",
                $"This caller already holds {EventFollowers.PerCaller} event streams and long-polls open on this instance, the most one caller may; close one, or retry after {seconds} s.",
                EventFollowers.PerCaller)
            : Problem(StatusCodes.Status503ServiceUnavailable, "Too many event followers.",
                $"This instance already serves {Followers(followers.InstanceLimit)} (--max-event-followers); retry after {seconds} s, or on another instance.",
                followers.InstanceLimit);
    }

    private static string Followers(int count) =>
        count == 1 ? "1 event stream or long-poll" : $"{count} event streams and long-polls";

    private static ProblemDetails Problem(int status, string title, string detail, int limit)
    {
        var problem = CodedProblems.Of(status, TooManyFollowersCode, title, detail);
        problem.Extensions["limit"] = limit;
        return problem;
    }
}
