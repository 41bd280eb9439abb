using System.Text.Json.Nodes;
using Ipam.Api.Tests.Events;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Tenancy;

/// <summary>The events feed (pages, long-poll, stream): a tenant reads only its own tenant's changes.</summary>
public abstract class EventTenancyTests(ApiFixture api) : TenancyTestBase(api)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task List_Member_OnlyItsTenantsChanges_AdminSeesBoth()
    {
        var end = await EndAsync();
        var (a, b) = (NewTenant(), NewTenant());
        var memberA = await MemberAsync(a);
        var endA = await EndAsync(memberA);
        await ChangeAsync(memberA);
        await ChangeAsync(await MemberAsync(b));

        var seenByA = await FollowAsync(memberA, "", endA);
        var seenByAdmin = await FollowAsync(await AdminAsync(), "", end);

        // The members' tokens were made after `end` too: token changes belong to no tenant, only admins see them.
        Assert.Equal(["subnet.created", "allocation.created"], EventsTestBase.Types(seenByA));
        Assert.Contains("token.created", EventsTestBase.Types(seenByAdmin));
        Assert.All(seenByA, e => Assert.Equal(a, (string?)e["tenant_id"]));
        Assert.Equal(2, seenByAdmin.Count(e => (string?)e["tenant_id"] == a));
        Assert.Equal(2, seenByAdmin.Count(e => (string?)e["tenant_id"] == b));
        await ForbiddenAsync(memberA.GetAsync($"/v1/events?after={endA}&tenant_id={b}"), "admin");
        await ForbiddenAsync((await ReaderAsync(a)).GetAsync($"/v1/events?tenant_id={b}"), "admin");
    }

    [Fact]
    public async Task LongPoll_Member_WakesOnlyWithItsTenantsChange()
    {
        var memberA = await MemberAsync(NewTenant());
        var poll = memberA.GetAsync($"/v1/events?after={await EndAsync(memberA)}&wait=30");
        await ChangeAsync(await MemberAsync(NewTenant()));
        await Task.Delay(600);
        Assert.False(poll.IsCompleted, "The poll answered with another tenant's change.");

        var subnet = Id(await CreatedAsync(PostAsync(memberA, "/v1/subnets", new { cidr = "10.76.0.0/24" })));
        var page = await OkAsync(poll.WaitAsync(Patience));

        var created = Assert.Single(page["items"]!.AsArray());
        Assert.Equal(subnet, (string?)created!["subnet_id"]);
    }

    [Fact]
    public async Task Stream_Member_OnlyItsTenantsChanges()
    {
        var tenant = NewTenant();
        var memberA = await MemberAsync(tenant);
        var end = await EndAsync(memberA);
        // Refused before the stream starts, with the problem document of any error although the client asked for events.
        using (var refused = await OpenStreamAsync(memberA, $"/v1/events?after={end}&tenant_id={NewTenant()}"))
        {
            await IpamServer.ExpectProblemAsync(refused, 403, "forbidden");
        }

        await using var stream = await EventStreamClient.OpenAsync(memberA, $"/v1/events?after={end}");

        await ChangeAsync(await MemberAsync(NewTenant()));
        var subnet = Id(await CreatedAsync(PostAsync(memberA, "/v1/subnets", new { cidr = "10.77.0.0/24" })));
        var first = JsonNode.Parse((await stream.NextAsync(Patience))!.Value.Data)!;

        Assert.Equal(subnet, (string?)first["subnet_id"]);
        Assert.Equal(tenant, (string?)first["tenant_id"]);
    }

    [Fact]
    public async Task List_Member_CursorsAreSealed_SoTheirGapsSayNothingOfOtherTenants()
    {
        var end = await EndAsync();
        var tenant = NewTenant();
        var member = await MemberAsync(tenant);
        var start = await EndAsync(member);
        await ChangeAsync(member);
        await ChangeAsync(await MemberAsync(NewTenant()));

        var ids = Ids(await OkAsync(member.GetAsync($"/v1/events?after={start}")));
        var rest = Ids(await OkAsync(member.GetAsync($"/v1/events?after={ids[0]}")));
        var adminIds = Ids(await OkAsync((await AdminAsync()).GetAsync($"/v1/events?after={end}&tenant_id={tenant}")));

        Assert.Equal(2, ids.Count);
        Assert.All(ids, id => Assert.Matches("^c[A-Za-z0-9_-]{22}$", id));
        Assert.Equal([ids[1]], rest);
        Assert.All(adminIds, id => Assert.True(long.TryParse(id, out _), id));
        Assert.Equal(2, adminIds.Count);

        // A number would let a tenant find where the log ends; 0, the start, is the one every caller may give.
        Assert.NotNull((await ApiFixture.ValidationProblemAsync(await member.GetAsync("/v1/events?after=1")))["errors"]!["after"]);
        Assert.NotNull((await ApiFixture.ValidationProblemAsync(await member.GetAsync($"/v1/events?after={adminIds[0]}")))["errors"]!["after"]);
        await OkAsync(member.GetAsync("/v1/events?after=0"));
        var tampered = ids[0][..5] + (ids[0][5] == 'A' ? 'B' : 'A') + ids[0][6..];
        Assert.NotNull((await ApiFixture.ValidationProblemAsync(await member.GetAsync($"/v1/events?after={tampered}")))["errors"]!["after"]);
    }

    /// <summary>
    /// tail counts the caller's own events: a tenant is shown its latest ones and given the same cursors whatever other
    /// tenants do meanwhile, so that asking again (tail=1, 2, ..., or on from the cursor it was given) tells it nothing
    /// of their changes, not even by a cursor that differs. On a page and on a stream.
    /// </summary>
    [Fact]
    public async Task Tail_Member_CountsItsOwnEvents_AndAnswersTheSameWhateverOtherTenantsDo()
    {
        var tenant = NewTenant();
        var member = await MemberAsync(tenant);
        var idle = await MemberAsync(NewTenant());
        await ChangeAsync(member);
        await ChangeAsync(member);
        string[] paths = ["/v1/events?tail=1", "/v1/events?tail=3", "/v1/events?tail=3&limit=2", "/v1/events?tail=1000"];

        var before = await AnswersAsync();
        // Other tenants' changes and changes of no tenant (a subnet of no tenant, the tokens), between two equal rounds.
        await ChangeAsync(await MemberAsync(NewTenant()));
        await CreatedAsync(PostAsync(await AdminAsync(), "/v1/subnets", new { cidr = "10.78.1.0/24" }));
        var after = await AnswersAsync();

        Assert.Equal(before, after);
        var latest = await OkAsync(member.GetAsync("/v1/events?tail=1"));
        var all = Ids(await OkAsync(member.GetAsync("/v1/events?tail=1000")));
        Assert.Equal(4, all.Count);
        Assert.Equal([all[^1]], Ids(latest));
        Assert.Equal(all[1..], Ids(await OkAsync(member.GetAsync("/v1/events?tail=3"))));
        var onward = await OkAsync(member.GetAsync($"/v1/events?after={latest["next"]}"));
        Assert.Empty(onward["items"]!.AsArray());
        Assert.Equal((string?)latest["next"], (string?)onward["next"]);
        var nothing = await OkAsync(idle.GetAsync("/v1/events?tail=5"));
        Assert.Empty(nothing["items"]!.AsArray());
        Assert.Equal("0", (string?)nothing["next"]);
        await using var stream = await EventStreamClient.OpenAsync(member, "/v1/events?tail=2");
        Assert.Equal(all[2..], (await stream.TakeAsync(2, TimeSpan.FromSeconds(5))).Select(e => e.EventId));

        async Task<List<string>> AnswersAsync()
        {
            var answers = new List<string>();
            foreach (var path in paths)
            {
                answers.Add((await OkAsync(member.GetAsync(path))).ToJsonString());
                answers.Add((await OkAsync(idle.GetAsync(path))).ToJsonString());
            }

            return answers;
        }
    }

    /// <summary>
    /// The last of 22 base64url characters carries 2 bits and 4 that must be zero: a cursor with them set, or with a
    /// character outside the alphabet, is as invalid as any other, in the query and in Last-Event-ID, on a page and a stream.
    /// </summary>
    [Fact]
    public async Task List_Member_CursorThatIsNotBase64Url_400NotAnError()
    {
        var member = await MemberAsync(NewTenant());
        await ChangeAsync(member);
        var id = Ids(await OkAsync(member.GetAsync("/v1/events?after=0")))[0];
        var last = id[^1];
        var spoiled = new[] { id[..^1] + (char)(last == 'Q' ? 'R' : last + 1), id[..^1] + "!", id[..^1] + "=" };

        foreach (var cursor in spoiled)
        {
            Assert.NotNull((await ApiFixture.ValidationProblemAsync(await member.GetAsync($"/v1/events?after={Uri.EscapeDataString(cursor)}")))["errors"]!["after"]);
            var resumed = new HttpRequestMessage(HttpMethod.Get, "/v1/events");
            resumed.Headers.Add("Last-Event-ID", cursor);
            Assert.NotNull((await ApiFixture.ValidationProblemAsync(await member.SendAsync(resumed)))["errors"]!["Last-Event-ID"]);
            var stream = new HttpRequestMessage(HttpMethod.Get, "/v1/events");
            stream.Headers.Add("Last-Event-ID", cursor);
            stream.Headers.Accept.ParseAdd("text/event-stream");
            Assert.NotNull((await ApiFixture.ValidationProblemAsync(await member.SendAsync(stream)))["errors"]!["Last-Event-ID"]);
        }
    }

    [Fact]
    public async Task List_AnotherTenantsCursor_Refused()
    {
        var memberA = await MemberAsync(NewTenant());
        var memberB = await MemberAsync(NewTenant());
        await ChangeAsync(memberA);
        var cursorOfA = (string)(await OkAsync(memberA.GetAsync("/v1/events?after=0")))["next"]!;

        await OkAsync(memberA.GetAsync($"/v1/events?after={cursorOfA}"));
        Assert.NotNull((await ApiFixture.ValidationProblemAsync(await memberB.GetAsync($"/v1/events?after={cursorOfA}")))["errors"]!["after"]);
    }

    [Theory]
    [InlineData("revoked")]
    [InlineData("expired")]
    public async Task Stream_TokenRevokedOrExpiredWhileOpen_EndsBeforeTheNextChangeAndReconnectingIsRefused(string how)
    {
        var tenant = NewTenant();
        // Long enough for the stream to open and deliver its first event on a slow machine before the token expires.
        var expiresAt = how == "expired" ? DateTimeOffset.UtcNow.AddSeconds(8) : (DateTimeOffset?)null;
        var token = await Api.Server.TokenAsync(CallerRole.Member, tenant, expiresAt);
        var member = Api.Server.ClientOf(token);
        var writer = await MemberAsync(tenant);
        var end = await EndAsync(member);
        await using var stream = await EventStreamClient.OpenAsync(member, $"/v1/events?after={end}");
        var before = Id(await CreatedAsync(PostAsync(writer, "/v1/subnets", new { cidr = "10.79.0.0/24" })));
        Assert.Equal(before, (string?)JsonNode.Parse((await stream.NextAsync(Patience))!.Value.Data)!["subnet_id"]);

        if (how == "revoked")
        {
            AssertStatus(await (await AdminAsync()).DeleteAsync($"/v1/tokens/{token.Token.Id}"), System.Net.HttpStatusCode.NoContent);
        }
        else
        {
            await Task.Delay(expiresAt!.Value - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(100));
        }

        // A check of the token holds a second; what commits after that reaches a valid token only.
        await Task.Delay(Ipam.Api.Events.StreamCaller.RecheckInterval + TimeSpan.FromMilliseconds(100));
        await CreatedAsync(PostAsync(writer, "/v1/subnets", new { cidr = "10.79.1.0/24" }));

        Assert.True(await stream.EndedAsync(Patience), "The stream went on after its token stopped being valid.");
        using var again = await OpenStreamAsync(member, $"/v1/events?after={end}");
        await IpamServer.ExpectProblemAsync(again, 401, "unauthenticated");
    }

    [Fact]
    public async Task LongPoll_TokenRevokedWhileWaiting_401InsteadOfTheChange()
    {
        var tenant = NewTenant();
        var token = await Api.Server.TokenAsync(CallerRole.Member, tenant, null);
        var member = Api.Server.ClientOf(token);
        var writer = await MemberAsync(tenant);
        var end = await EndAsync(member);
        var waiting = member.GetAsync($"/v1/events?after={end}&wait=30");
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // the request authenticated and waiting before the revocation

        AssertStatus(await (await AdminAsync()).DeleteAsync($"/v1/tokens/{token.Token.Id}"), System.Net.HttpStatusCode.NoContent);
        await Task.Delay(Ipam.Api.Events.StreamCaller.RecheckInterval + TimeSpan.FromMilliseconds(100));
        await CreatedAsync(PostAsync(writer, "/v1/subnets", new { cidr = "10.79.2.0/24" }));

        await IpamServer.ExpectProblemAsync(await waiting, 401, "unauthenticated");
    }

    [Fact]
    public async Task LongPoll_TokenRevokedWhileWaitingAndNothingCommits_401WhenTheWaitEnds()
    {
        var token = await Api.Server.TokenAsync(CallerRole.Member, NewTenant(), null);
        var member = Api.Server.ClientOf(token);
        var end = await EndAsync(member);
        var waiting = member.GetAsync($"/v1/events?after={end}&wait=3");
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // the request authenticated and waiting before the revocation

        AssertStatus(await (await AdminAsync()).DeleteAsync($"/v1/tokens/{token.Token.Id}"), System.Net.HttpStatusCode.NoContent);

        await IpamServer.ExpectProblemAsync(await waiting, 401, "unauthenticated");
    }

    private async Task<string> EndAsync() => (string)(await Api.GetJsonAsync("/v1/events?tail=1"))["next"]!;

    /// <summary>Where <paramref name="client"/> may start to see only what follows: its cursor at the end of the log.</summary>
    private static async Task<string> EndAsync(HttpClient client) => (string)(await OkAsync(client.GetAsync("/v1/events?tail=1")))["next"]!;

    private static List<string> Ids(JsonObject page) => [.. page["items"]!.AsArray().Select(i => (string)i!["id"]!)];

    /// <summary>A subnet of the member's tenant and an allocation in it: two changes.</summary>
    private static async Task ChangeAsync(HttpClient member)
    {
        var subnet = Id(await CreatedAsync(PostAsync(member, "/v1/subnets", new { cidr = "10.78.0.0/24" })));
        await CreatedAsync(PostAsync(member, $"/v1/subnets/{subnet}/allocations", new { }));
    }

    private static async Task<List<JsonObject>> FollowAsync(HttpClient client, string filter, string after)
    {
        var events = new List<JsonObject>();
        while (true)
        {
            var page = await OkAsync(client.GetAsync($"/v1/events?after={after}&limit=1000{filter}"));
            var items = page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
            if (items.Count == 0)
            {
                return events;
            }

            events.AddRange(items);
            after = (string)page["next"]!;
        }
    }

    private static Task<HttpResponseMessage> OpenStreamAsync(HttpClient client, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}

public sealed class EventTenancyTestsOnSqlite(SqliteApiFixture api) : EventTenancyTests(api), IClassFixture<SqliteApiFixture>;

public sealed class EventTenancyTestsOnPostgres(PostgresApiFixture api) : EventTenancyTests(api), IClassFixture<PostgresApiFixture>;

public sealed class EventTenancyTestsOnThreeInstances(ThreeInstancesApiFixture api) : EventTenancyTests(api), IClassFixture<ThreeInstancesApiFixture>;
