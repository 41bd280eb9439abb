using System.Collections.Concurrent;
using System.Diagnostics;
using Ipam.Storage.Sql;

namespace Ipam.Api.Tests.Observability;

/// <summary>
/// Records every command Npgsql traces while it is alive (each one a round trip), with the store's and the HTTP
/// spans around them sampled too, so that a command's parents can be followed.
/// </summary>
internal sealed class NpgsqlCommandTrace : IDisposable
{
    private readonly ConcurrentBag<Activity> _commands = [];
    private readonly ActivityListener _listener;

    public NpgsqlCommandTrace()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or StoreTelemetry.Name or "Microsoft.AspNetCore" or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql")
                {
                    _commands.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The commands of the trace <paramref name="root"/> began.</summary>
    public List<Activity> CommandsOf(Activity root) => [.. _commands.Where(c => c.TraceId == root.TraceId)];

    public static string Text(Activity command) =>
        (command.GetTagItem("db.query.text") ?? command.GetTagItem("db.statement") ?? command.DisplayName)?.ToString() ?? "";

    public void Dispose() => _listener.Dispose();
}
