using System.Diagnostics;
using System.Text.Json;
using Ipam.Cli.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Ipam.Cli.Tests.Commands;

public sealed class EventsCommandTests
{
    [Fact]
    public async Task Events_prints_one_line_per_change_and_where_to_continue()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.17.0.0/24");
        (await server.RunAsync("allocate", id, "--ip", "10.17.0.5")).AssertOk();
        (await server.RunAsync("release", id, "10.17.0.5")).AssertOk();

        var result = (await server.RunAsync("events")).AssertOk();

        Assert.Equal(3, result.Lines.Length);
        Assert.Matches($@"^\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\dZ +subnet\.created +{id} +- +anonymous$", result.Lines[0]);
        Assert.Matches($@"^\S+ \S+ +allocation\.created +{id} +10\.17\.0\.5 +anonymous$", result.Lines[1]);
        Assert.Matches($@"^\S+ \S+ +allocation\.released +{id} +10\.17\.0\.5 +anonymous$", result.Lines[2]);
        var next = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim();
        Assert.Matches(@"^Next: ipam events --after \d+$", next);

        var rest = (await server.RunAsync("events", "--after", next.Split(' ')[^1])).AssertOk();
        Assert.Empty(rest.Lines);
        var paged = (await server.RunAsync("events", "--limit", "2")).AssertOk();
        Assert.Equal(result.Lines[..2], paged.Lines);
    }

    [Fact]
    public async Task Events_json_prints_one_event_object_per_line()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.17.1.0/24", "--tenant", "team-a");
        (await server.RunAsync("allocate", id, "--ip", "10.17.1.5")).AssertOk();
        await server.CreateSubnetAsync("10.17.2.0/24", "--tenant", "team-b");

        var result = (await server.RunAsync("events", "--json", "--tenant", "team-a")).AssertOk();

        var events = result.Lines.Select(line => JsonSerializer.Deserialize<JsonElement>(line)).ToList();
        Assert.Equal(["subnet.created", "allocation.created"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("10.17.1.5", events[1].GetProperty("ip_address").GetString());
        Assert.Equal("team-a", events[1].GetProperty("tenant_id").GetString());
        Assert.Equal(JsonValueKind.Object, events[1].GetProperty("after").ValueKind);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Events_follow_prints_new_events_as_they_commit_and_stops_cleanly_on_cancel()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.CreateSubnetAsync("10.17.3.0/24");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var follow = CliApp.RunAsync(
            ["events", "--follow", "--server", server.Url], TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), stop.Token);

        await WaitForAsync(stdout, "subnet.created", follow);
        (await server.RunAsync("allocate", id, "--ip", "10.17.3.9")).AssertOk();
        await WaitForAsync(stdout, "10.17.3.9", follow);
        await stop.CancelAsync();

        Assert.Equal(0, await follow.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Matches(@"^To go on from here: ipam events --follow --after \d+\n$", stderr.ToString());
        Assert.Equal(2, stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Events_follow_rides_out_a_server_restart_and_misses_nothing()
    {
        var database = new TempDatabase();
        await using var first = await TestServer.StartAsync(database: database);
        var id = await first.CreateSubnetAsync("10.17.4.0/24");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var follow = CliApp.RunAsync(
            ["events", "--follow", "--json", "--server", first.Url], TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), stop.Token);
        await WaitForAsync(stdout, "subnet.created", follow);

        await first.StopAsync();
        await WaitForAsync(stderr, "retrying in", follow);
        await using var second = await TestServer.StartAsync(database: database, urls: first.Url);
        (await second.RunAsync("allocate", id, "--ip", "10.17.4.9")).AssertOk();
        await WaitForAsync(stdout, "10.17.4.9", follow, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();

        Assert.Equal(0, await follow.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        var events = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<JsonElement>(l)).ToList();
        Assert.Equal(["subnet.created", "allocation.created"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Contains("cannot reach Ipam", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("Reconnected", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(".;", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_follow_refused_for_a_while_waits_as_long_as_the_server_asks()
    {
        await using var server = await TestServer.StartAsync(maxEventFollowers: 1);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var waiting = await OccupyTheOneFollowerPlaceAsync(http);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var stderr = new StringWriter();
        var follow = CliApp.RunAsync(["events", "--follow", "--server", server.Url], TextWriter.Null, TextWriter.Synchronized(stderr), stop.Token);

        await WaitForAsync(stderr, "retrying in", follow);
        await stop.CancelAsync();
        await follow.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var note = stderr.ToString().Split('\n').First(l => l.Contains("retrying in", StringComparison.Ordinal));
        Assert.Contains("too-many-followers: This instance already serves 1 event stream or long-poll (--max-event-followers)", note, StringComparison.Ordinal);
        // The server asks for 5 s (Retry-After); the first retry of a follower is sooner otherwise.
        Assert.EndsWith("; retrying in 5 s.", note.TrimEnd(), StringComparison.Ordinal);
        Assert.False(waiting.IsCompleted);
    }

    /// <summary>
    /// A long-poll that waits for a change that does not come, once a probe is refused because of it: the server's
    /// one follower place is taken.
    /// </summary>
    private static async Task<Task<HttpResponseMessage>> OccupyTheOneFollowerPlaceAsync(HttpClient http)
    {
        var waiting = http.GetAsync("/v1/events?wait=30", TestContext.Current.CancellationToken);
        while (true)
        {
            using var probe = await http.GetAsync("/v1/events?wait=1", TestContext.Current.CancellationToken);
            if (probe.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
            {
                return waiting;
            }

            if (waiting.IsCompleted)
            {
                // The probe came first and the long-poll was the one refused.
                waiting = http.GetAsync("/v1/events?wait=30", TestContext.Current.CancellationToken);
            }
        }
    }

    [Fact]
    public async Task Events_json_error_is_one_json_line_like_the_events()
    {
        await using var server = await TestServer.StartAsync();

        var result = await server.RunAsync("events", "--json", "--after", "not-a-cursor");

        Assert.Contains("not-a-cursor", result.AssertFailed(1), StringComparison.Ordinal);
        var line = Assert.Single(result.Lines);
        Assert.Equal("invalid-request", JsonSerializer.Deserialize<JsonElement>(line).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Events_follow_from_a_refused_cursor_says_only_why_and_not_to_go_on_from_it()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateSubnetAsync("10.17.5.0/24");

        var pastTheEnd = (await server.RunAsync("events", "--follow", "--after", "999")).AssertFailed(1);
        var notACursor = (await server.RunAsync("events", "--follow", "--after", "not-a-cursor")).AssertFailed(1);

        Assert.Contains("past the end of the change log", pastTheEnd, StringComparison.Ordinal);
        Assert.Contains("not-a-cursor", notACursor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_after_a_cursor_the_retention_overtook_says_so_in_one_line_and_follow_does_not_retry()
    {
        await using var server = await TestServer.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await server.CreateSubnetAsync($"10.17.{6 + i}.0/24");
        }

        // As the server's pruner does it: the oldest changes and how far they went, in one transaction.
        using (var connection = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "BEGIN; DELETE FROM changes WHERE seq <= 2; UPDATE change_log_pruned SET position = 2; COMMIT;";
            command.ExecuteNonQuery();
        }

        var once = (await server.RunAsync("events", "--after", "1")).AssertFailed(1);
        var follow = (await server.RunAsync("events", "--follow", "--after", "1")
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).AssertFailed(1);

        foreach (var line in new[] { once, follow })
        {
            Assert.StartsWith("error: cursor-expired: the changes after cursor 1 were removed by the server's change-log retention", line, StringComparison.Ordinal);
            Assert.Contains("start again with --after 0", line, StringComparison.Ordinal);
            Assert.DoesNotContain("after=0", line, StringComparison.Ordinal);
        }

        (await server.RunAsync("events", "--after", "2")).AssertOk();
        (await server.RunAsync("events", "--after", "0")).AssertOk();
    }

    [Fact]
    public async Task Events_help_describes_the_options()
    {
        var help = (await IpamCli.RunAsync("events", "--help")).AssertOk().Out;

        Assert.Contains("--after", help, StringComparison.Ordinal);
        Assert.Contains("--follow", help, StringComparison.Ordinal);
        Assert.Contains("--limit", help, StringComparison.Ordinal);
        Assert.Contains("Ctrl+C", help, StringComparison.Ordinal);
        Assert.Contains("ipam events --follow", help, StringComparison.Ordinal);
        Assert.Matches("--json +Print each event as the API's JSON object", help);
        Assert.DoesNotContain("pretty-printed", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_bad_limit_is_a_usage_error()
    {
        (await IpamCli.RunAsync("events", "--limit", "0")).AssertFailed(2);
    }

    private static async Task WaitForAsync(StringWriter output, string text, Task running, TimeSpan? patience = null)
    {
        var clock = Stopwatch.StartNew();
        while (!output.ToString().Contains(text, StringComparison.Ordinal))
        {
            Assert.False(running.IsCompleted, $"ipam events --follow ended early: {output}");
            Assert.True(clock.Elapsed < (patience ?? TimeSpan.FromSeconds(10)), $"'{text}' did not appear; output so far: {output}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
