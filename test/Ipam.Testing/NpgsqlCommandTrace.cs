using System.Collections.Concurrent;
using System.Diagnostics;

namespace Ipam.Testing;

/// <summary>
/// Records every command Npgsql traces while it is alive (each one a round trip, a batch as one), with the spans of
/// <c>parentSources</c> sampled too, so that a command's parents can be followed and its trace told apart.
/// </summary>
public sealed class NpgsqlCommandTrace : IDisposable
{
    private const string Npgsql = "Npgsql";

    private readonly ConcurrentBag<Activity> _commands = [];
    private readonly ActivityListener _listener;

    public NpgsqlCommandTrace(params string[] parentSources)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == Npgsql || parentSources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == Npgsql)
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
