using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ipam.Cli.Tests.Infrastructure;
using Ipam.Testing;

namespace Ipam.Cli.Tests.Commands;

/// <summary><c>ipam export</c> and <c>ipam import</c>: an address plan moved between databases, all or nothing.</summary>
public sealed class ImportExportCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ipam-export-test-").FullName;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Export_then_import_into_an_empty_database_reproduces_the_plan(bool postgres)
    {
        await using var source = await StartAsync(postgres);
        await SeedAsync(source);
        var file = Path.Combine(directory, "plan.json");
        Assert.Contains("Exported 9 item(s)", (await source.RunAsync("export", "--output", file)).AssertOk().Out, StringComparison.Ordinal);

        await using var target = await StartAsync(postgres);
        var imported = (await target.RunAsync("import", file)).AssertOk();
        Assert.Contains("Imported 1 address scope(s), 1 subnet pool(s), 3 subnet(s), 4 allocation(s).", imported.Out, StringComparison.Ordinal);

        var exported = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal(exported, (await target.RunAsync("export")).AssertOk().Out);
        var document = JsonSerializer.Deserialize<JsonElement>(exported);
        Assert.Equal("ipam-export", document.GetProperty("format").GetString());
        Assert.Equal(4, document.GetProperty("allocations").GetArrayLength());

        // The imported plan is live: the pool's free space and the subnets' free addresses know what was imported.
        using var http = new HttpClient { BaseAddress = new Uri(target.Url) };
        var poolId = document.GetProperty("subnet_pools")[0].GetProperty("id").GetString();
        var available = await http.GetFromJsonAsync<JsonElement>($"/v1/subnet-pools/{poolId}/available-prefixes", TestContext.Current.CancellationToken);
        Assert.DoesNotContain(available.GetProperty("prefixes").EnumerateArray(), p => p.GetString() == "10.8.0.0/16");
        Assert.Equal("10.8.1.0/24", Text(await PostAsync(http, "/v1/subnets", new JsonObject
        {
            ["subnet_pool_id"] = poolId,
            ["prefixlen"] = 24,
        }), "cidr"));
        var webId = document.GetProperty("subnets").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "web, front").GetProperty("id").GetString();
        Assert.Equal("192.168.0.12", Text(await PostAsync(http, $"/v1/subnets/{webId}/allocations", new JsonObject { ["strategy"] = "next" }), "ip_address"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Import_with_one_bad_item_changes_nothing_and_names_it(bool postgres)
    {
        await using var source = await StartAsync(postgres);
        await SeedAsync(source);
        var plan = JsonNode.Parse((await source.RunAsync("export")).AssertOk().Out)!.AsObject();

        await using var target = await StartAsync(postgres);
        var before = (await target.RunAsync("export")).AssertOk().Out;
        var outside = JsonNode.Parse(plan.ToJsonString())!.AsObject();
        var allocations = outside["allocations"]!.AsArray();
        allocations.Add(new JsonObject { ["subnet_id"] = allocations[0]!["subnet_id"]!.GetValue<string>(), ["ip_address"] = "172.31.0.9" });
        var error = await ImportFailsAsync(target, outside, "bad-address.json");
        Assert.Contains("allocations[4]", error, StringComparison.Ordinal);
        Assert.Contains("address-outside-subnet", error, StringComparison.Ordinal);
        Assert.Equal(before, (await target.RunAsync("export")).AssertOk().Out);

        var overlapping = JsonNode.Parse(plan.ToJsonString())!.AsObject();
        var subnets = overlapping["subnets"]!.AsArray();
        var fromPool = subnets.Single(s => s!["subnet_pool_id"] is not null)!.DeepClone().AsObject();
        fromPool["id"] = Guid.NewGuid().ToString();
        fromPool["cidr"] = "10.8.0.0/23";
        fromPool["allocation_pools"] = new JsonArray();
        fromPool["gateway_ip"] = null;
        subnets.Add(fromPool);
        error = await ImportFailsAsync(target, overlapping, "overlap.json");
        Assert.Contains("subnets[3]", error, StringComparison.Ordinal);
        Assert.Equal(before, (await target.RunAsync("export")).AssertOk().Out);

        using var http = new HttpClient { BaseAddress = new Uri(target.Url) };
        var events = await http.GetFromJsonAsync<JsonElement>("/v1/events", TestContext.Current.CancellationToken);
        Assert.Empty(events.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_pool_tightened_after_its_subnets_were_made_exports_and_imports_and_still_rules_new_requests(bool postgres)
    {
        await using var source = await StartAsync(postgres);
        await SeedAsync(source);
        using var sourceHttp = new HttpClient { BaseAddress = new Uri(source.Url) };
        var poolId = JsonNode.Parse((await source.RunAsync("export")).AssertOk().Out)!["subnet_pools"]![0]!["id"]!.GetValue<string>();
        // The pool's /24 is now shorter than its shortest allowed prefix, and its tenant holds more than the quota.
        using (var tightened = await sourceHttp.PatchAsJsonAsync($"/v1/subnet-pools/{poolId}",
            new JsonObject { ["min_prefixlen"] = 26, ["default_prefixlen"] = 27, ["default_quota"] = 16 }, TestContext.Current.CancellationToken))
        {
            Assert.True(tightened.IsSuccessStatusCode, await tightened.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var exported = (await source.RunAsync("export")).AssertOk().Out;
        var file = Path.Combine(directory, "tightened.json");
        await File.WriteAllTextAsync(file, exported, TestContext.Current.CancellationToken);

        await using var target = await StartAsync(postgres);
        (await target.RunAsync("import", file)).AssertOk();
        Assert.Equal(exported, (await target.RunAsync("export")).AssertOk().Out);

        using var http = new HttpClient { BaseAddress = new Uri(target.Url) };
        using var tooShort = await http.PostAsJsonAsync("/v1/subnets", new JsonObject { ["subnet_pool_id"] = poolId, ["cidr"] = "10.8.1.0/24" },
            TestContext.Current.CancellationToken);
        Assert.Contains("minimum allowed prefix is 26", await tooShort.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        using var overQuota = await http.PostAsJsonAsync("/v1/subnets", new JsonObject { ["subnet_pool_id"] = poolId },
            TestContext.Current.CancellationToken);
        Assert.Contains("quota-exceeded", await overQuota.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        // Overlap within the pool is still refused: the imported /24 holds its prefix.
        var plan = JsonNode.Parse(exported)!.AsObject();
        var subnets = plan["subnets"]!.AsArray();
        var inside = subnets.Single(s => s!["subnet_pool_id"] is not null)!.DeepClone().AsObject();
        inside["id"] = Guid.NewGuid().ToString();
        inside["cidr"] = "10.8.0.64/26";
        inside["allocation_pools"] = new JsonArray();
        inside["gateway_ip"] = null;
        var again = new JsonObject
        {
            ["format"] = "ipam-export", ["version"] = 1, ["address_scopes"] = new JsonArray(), ["subnet_pools"] = new JsonArray(),
            ["subnets"] = new JsonArray(inside), ["allocations"] = new JsonArray(),
        };
        Assert.Contains("prefix-unavailable", await ImportFailsAsync(target, again, "overlap-after.json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_of_a_file_that_is_not_json_fails_in_one_line()
    {
        await using var server = await TestServer.StartAsync();
        var file = Path.Combine(directory, "broken.json");
        await File.WriteAllTextAsync(file, "{\"format\": ", TestContext.Current.CancellationToken);
        Assert.Contains("broken.json is not valid JSON", (await server.RunAsync("import", file)).AssertFailed(1), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "not a document that names no format or version (was it written by 'ipam export'?)")]
    [InlineData("""{"format": "netbox", "version": 3}""", "not 'netbox' version 3")]
    public async Task Import_of_another_kind_of_document_says_what_it_is(string json, string message)
    {
        await using var server = await TestServer.StartAsync();
        var file = Path.Combine(directory, "other.json");
        await File.WriteAllTextAsync(file, json, TestContext.Current.CancellationToken);
        Assert.Contains(message, (await server.RunAsync("import", file)).AssertFailed(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_that_fails_leaves_the_file_it_would_replace_as_it_was_and_nothing_beside_it()
    {
        var file = Path.Combine(directory, "plan.json");
        await File.WriteAllTextAsync(file, "the last export", TestContext.Current.CancellationToken);

        (await IpamCli.RunAsync("export", "--output", file, "--force", "--server", "http://127.0.0.1:1")).AssertFailed(3);

        Assert.Equal("the last export", await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        Assert.Equal([file], Directory.GetFiles(directory));

        await using var server = await TestServer.StartAsync();
        (await server.RunAsync("export", "--output", file, "--force")).AssertOk();
        Assert.Equal("ipam-export", JsonSerializer.Deserialize<JsonElement>(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)).GetProperty("format").GetString());
        Assert.Equal([file], Directory.GetFiles(directory));
    }

    [Fact]
    public async Task Csv_export_that_fails_leaves_the_files_of_the_last_one_as_they_were()
    {
        var csv = Path.Combine(directory, "csv");
        Directory.CreateDirectory(csv);
        var scopes = Path.Combine(csv, "address_scopes.csv");
        await File.WriteAllTextAsync(scopes, "the last export", TestContext.Current.CancellationToken);

        (await IpamCli.RunAsync("export", "--format", "csv", "--output", csv, "--force", "--server", "http://127.0.0.1:1")).AssertFailed(3);

        Assert.Equal("the last export", await File.ReadAllTextAsync(scopes, TestContext.Current.CancellationToken));
        Assert.Equal([scopes], Directory.GetFiles(csv));
    }

    [Fact]
    public async Task Export_over_what_exists_needs_force_and_leaves_a_pipe_or_a_file_there_as_it_was()
    {
        await using var server = await TestServer.StartAsync();
        var file = Path.Combine(directory, "plan.json");
        await File.WriteAllTextAsync(file, "the last export", TestContext.Current.CancellationToken);
        var pipe = Path.Combine(directory, "pipe");
        Assert.Equal(0, await RunAsync("mkfifo", pipe));
        var csv = Path.Combine(directory, "csv");
        Directory.CreateDirectory(csv);
        var subnets = Path.Combine(csv, "subnets.csv");
        await File.WriteAllTextAsync(subnets, "the last export", TestContext.Current.CancellationToken);

        Assert.Equal($"error: {file} exists; add --force to replace it", (await server.RunAsync("export", "--output", file)).AssertFailed(2));
        Assert.Equal($"error: {pipe} exists; add --force to replace it", (await server.RunAsync("export", "--output", pipe)).AssertFailed(2));
        Assert.Equal($"error: {subnets} exists; add --force to replace the files of the last export",
            (await server.RunAsync("export", "--format", "csv", "--output", csv)).AssertFailed(2));

        Assert.Equal("the last export", await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        Assert.Equal(0, await RunAsync("test", "-p", pipe));
        Assert.Equal("the last export", await File.ReadAllTextAsync(subnets, TestContext.Current.CancellationToken));
        (await server.RunAsync("export", "--output", file, "--force")).AssertOk();
        Assert.StartsWith("{", await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_and_backup_where_no_file_can_be_written_exit_2_in_one_plain_line()
    {
        await using var server = await TestServer.StartAsync();

        Assert.StartsWith("error: cannot write /proc/ipam-export.json: ",
            (await server.RunAsync("export", "--output", "/proc/ipam-export.json")).AssertFailed(2), StringComparison.Ordinal);
        Assert.Equal($"error: {directory} is a directory; FILE is the file to write", (await server.RunAsync("backup", directory)).AssertFailed(2));
    }

    private static async Task<int> RunAsync(string program, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(program, arguments);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return process.ExitCode;
    }

    [Fact]
    public async Task Export_while_subnets_are_created_writes_no_allocation_without_its_subnet_and_imports()
    {
        await using var source = await TestServer.StartAsync();
        await using var target = await TestServer.StartAsync();

        // More subnets than a page, with ids below the server's time-ordered ones: a subnet created during the export
        // sorts after them, on a later page than the first.
        var seed = Path.Combine(directory, "seed.json");
        var seeded = Enumerable.Range(0, 1_100).Select(i => new { id = $"00000000-0000-4000-8000-{i:D12}", cidr = $"10.{i / 256}.{i % 256}.0/28" });
        await File.WriteAllTextAsync(seed, JsonSerializer.Serialize(new { format = "ipam-export", version = 1, subnets = seeded }), TestContext.Current.CancellationToken);
        (await source.RunAsync("import", seed)).AssertOk();

        using var http = new HttpClient { BaseAddress = new Uri(source.Url) };
        using var stop = new CancellationTokenSource();
        var created = 0;
        var churn = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var subnet = await http.PostAsJsonAsync("/v1/subnets", new { cidr = $"172.16.{created / 16}.{created % 16 * 16}/28" });
                var id = JsonSerializer.Deserialize<JsonElement>(await subnet.Content.ReadAsStringAsync()).GetProperty("id").GetString();
                (await http.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { })).EnsureSuccessStatusCode();
                created++;
            }
        });

        var plan = Path.Combine(directory, "plan.json");
        var before = Volatile.Read(ref created);
        (await source.RunAsync("export", "--output", plan)).AssertOk();
        var during = Volatile.Read(ref created) - before;
        await stop.CancelAsync();
        await churn;

        Assert.True(during > 0, "no subnet was created while the export ran");
        var document = JsonSerializer.Deserialize<JsonElement>(await File.ReadAllTextAsync(plan, TestContext.Current.CancellationToken));
        var subnets = document.GetProperty("subnets").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToHashSet();
        Assert.All(document.GetProperty("allocations").EnumerateArray(), a => Assert.Contains(a.GetProperty("subnet_id").GetString(), subnets));
        (await target.RunAsync("import", plan)).AssertOk();
    }

    [Fact]
    public async Task Export_and_import_on_the_wrong_kind_of_path_exit_2_in_one_plain_line()
    {
        var file = Path.Combine(directory, "plan.json");
        await File.WriteAllTextAsync(file, "kept", TestContext.Current.CancellationToken);

        Assert.Equal(
            $"error: {file} already exists and is a file; --format csv writes four files into a directory",
            (await IpamCli.RunAsync("export", "--format", "csv", "--output", file, "--server", "http://127.0.0.1:1")).AssertFailed(2));
        Assert.Equal(
            $"error: {directory} is a directory; --output takes the file to write",
            (await IpamCli.RunAsync("export", "--output", directory, "--server", "http://127.0.0.1:1")).AssertFailed(2));
        Assert.Equal(
            $"error: {directory} is a directory; ipam import reads a file",
            (await IpamCli.RunAsync("import", directory, "--server", "http://127.0.0.1:1")).AssertFailed(2));
        Assert.Equal(
            $"error: {directory} is a directory; ipam import reads a file",
            (await IpamCli.RunAsync("import", "--from", "netbox", directory, "--server", "http://127.0.0.1:1")).AssertFailed(2));
        Assert.Equal("kept", await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Export_as_csv_writes_one_quoted_file_per_list()
    {
        await using var server = await TestServer.StartAsync();
        await SeedAsync(server);
        var output = Path.Combine(directory, "csv");
        (await server.RunAsync("export", "--format", "csv", "--output", output)).AssertOk();

        var subnets = await File.ReadAllTextAsync(Path.Combine(output, "subnets.csv"), TestContext.Current.CancellationToken);
        var lines = subnets.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,cidr,name,gateway_ip,allocation_pools,ipv6_address_mode,tenant_id,subnet_pool_id,reuse_cooldown_seconds", lines[0]);
        Assert.Contains(lines, l => l.Contains(",192.168.0.0/24,\"web, front\",192.168.0.1,192.168.0.10-192.168.0.20;192.168.0.100-192.168.0.110,,acme,,30", StringComparison.Ordinal));
        var allocations = await File.ReadAllLinesAsync(Path.Combine(output, "allocations.csv"), TestContext.Current.CancellationToken);
        Assert.Equal("subnet_id,ip_address,owner,description,expires_at", allocations[0]);
        Assert.Contains(allocations, l => l.EndsWith(",192.168.0.10,vm-1,\"says \"\"hi\"\"\",", StringComparison.Ordinal));
        Assert.Equal(5, allocations.Length);
        Assert.Equal(2, (await File.ReadAllLinesAsync(Path.Combine(output, "address_scopes.csv"), TestContext.Current.CancellationToken)).Length);
        var pools = await File.ReadAllLinesAsync(Path.Combine(output, "subnet_pools.csv"), TestContext.Current.CancellationToken);
        Assert.Contains(",10.8.0.0/16;10.20.0.0/16,24,16,28,", pools[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_needs_an_admin_and_takes_a_plan_over_the_usual_body_limit()
    {
        var database = new TempDatabase();
        var admin = (await IpamCli.RunAsync("token", "create", "--database", $"sqlite:{database.Path}", "--role", "admin", "--json"))
            .Json().GetProperty("token").GetString()!;
        await using var server = await TestServer.StartAsync(authentication: true, database: database);
        var member = (await server.RunAsync("token", "create", "--role", "member", "--tenant", "acme", "--token", admin, "--json"))
            .Json().GetProperty("token").GetString()!;

        // About 2 MiB: twice what any other request may send.
        var subnetId = Guid.NewGuid().ToString();
        var allocations = new JsonArray();
        for (var i = 1; i <= 16_000; i++)
        {
            allocations.Add(new JsonObject
            {
                ["subnet_id"] = subnetId, ["ip_address"] = $"10.60.{i / 256}.{i % 256}", ["owner"] = $"host-{i}", ["description"] = new string('d', 60),
            });
        }

        var plan = new JsonObject
        {
            ["format"] = "ipam-export", ["version"] = 1, ["address_scopes"] = new JsonArray(), ["subnet_pools"] = new JsonArray(),
            ["subnets"] = new JsonArray(new JsonObject
            {
                ["id"] = subnetId, ["cidr"] = "10.60.0.0/16", ["gateway_ip"] = null,
                ["allocation_pools"] = new JsonArray(new JsonObject { ["start"] = "10.60.0.1", ["end"] = "10.60.255.254" }),
            }),
            ["allocations"] = allocations,
        };
        var file = Path.Combine(directory, "large.json");
        await File.WriteAllTextAsync(file, plan.ToJsonString(), TestContext.Current.CancellationToken);
        Assert.True(new FileInfo(file).Length > 2 * 1024 * 1024 - 200_000);

        Assert.Contains("forbidden", (await server.RunAsync("import", file, "--token", member)).AssertFailed(1), StringComparison.Ordinal);
        Assert.Contains("Imported 0 address scope(s), 0 subnet pool(s), 1 subnet(s), 16000 allocation(s).",
            (await server.RunAsync("import", file, "--token", admin)).AssertOk().Out, StringComparison.Ordinal);
        var usage = (await server.RunAsync("subnet", "show", subnetId, "--token", admin, "--json")).Json().GetProperty("usage");
        Assert.Equal(16_000, usage.GetProperty("allocated").GetInt32());
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static async Task<TestServer> StartAsync(bool postgres) => postgres
        ? await TestServer.StartAsync(postgresUrl: await (await SharedPostgres.GetAsync()).CreateDatabaseUrlAsync())
        : await TestServer.StartAsync();

    private async Task<string> ImportFailsAsync(TestServer server, JsonObject document, string name)
    {
        var file = Path.Combine(directory, name);
        await File.WriteAllTextAsync(file, document.ToJsonString(), TestContext.Current.CancellationToken);
        return (await server.RunAsync("import", file)).AssertFailed(1);
    }

    /// <summary>One scope, one pool in it with a subnet from it, an IPv4 and an IPv6 subnet, four allocations.</summary>
    private static async Task SeedAsync(TestServer server)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var scope = Text(await PostAsync(http, "/v1/address-scopes", new JsonObject { ["name"] = "blue", ["ip_version"] = 4 }), "id");
        var pool = Text(await PostAsync(http, "/v1/subnet-pools", new JsonObject
        {
            ["name"] = "pool", ["prefixes"] = new JsonArray("10.8.0.0/16", "10.20.0.0/16"), ["default_prefixlen"] = 24, ["min_prefixlen"] = 16,
            ["max_prefixlen"] = 28, ["default_quota"] = 100000, ["address_scope_id"] = scope,
        }), "id");
        await PostAsync(http, "/v1/subnets", new JsonObject { ["subnet_pool_id"] = pool, ["cidr"] = "10.8.0.0/24", ["name"] = "from-pool" });
        var web = Text(await PostAsync(http, "/v1/subnets", new JsonObject
        {
            ["cidr"] = "192.168.0.0/24", ["name"] = "web, front", ["tenant_id"] = "acme", ["reuse_cooldown_seconds"] = 30,
            ["allocation_pools"] = new JsonArray(new JsonObject { ["start"] = "192.168.0.100", ["end"] = "192.168.0.110" },
                new JsonObject { ["start"] = "192.168.0.10", ["end"] = "192.168.0.20" }),
        }), "id");
        var v6 = Text(await PostAsync(http, "/v1/subnets", new JsonObject
        {
            ["cidr"] = "2001:db8::/64", ["ipv6_address_mode"] = "dhcpv6-stateful", ["gateway_ip"] = null,
        }), "id");
        await PostAsync(http, $"/v1/subnets/{web}/allocations", new JsonObject { ["ip_address"] = "192.168.0.10", ["owner"] = "vm-1", ["description"] = "says \"hi\"" });
        await PostAsync(http, $"/v1/subnets/{web}/allocations", new JsonObject { ["ip_address"] = "192.168.0.11", ["expires_at"] = "2099-01-02T03:04:05Z" });
        await PostAsync(http, $"/v1/subnets/{web}/allocations", new JsonObject { ["ip_address"] = "192.168.0.1", ["allow_gateway"] = true });
        await PostAsync(http, $"/v1/subnets/{v6}/allocations", new JsonObject { ["ip_address"] = "2001:db8::5", ["owner"] = "host-é" });
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, JsonObject body)
    {
        using var response = await http.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    private static string Text(JsonElement json, string name) => json.GetProperty(name).GetString()!;
}
