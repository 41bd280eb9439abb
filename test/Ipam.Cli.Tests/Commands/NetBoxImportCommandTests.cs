using System.Net.Http.Json;
using System.Text.Json;
using Ipam.Cli.Tests.Infrastructure;
using Ipam.Testing;

namespace Ipam.Cli.Tests.Commands;

/// <summary>
/// <c>ipam import --from netbox</c>: NetBox's prefixes and IP addresses exports become subnets and allocations,
/// each address in the most specific prefix of its VRF; a bad line names itself and changes nothing.
/// </summary>
public sealed class NetBoxImportCommandTests : IDisposable
{
    private const string Prefixes = """
        prefix,status,vrf,tenant,site,is_pool,description
        10.40.0.0/16,container,,,,false,campus
        10.40.1.0/24,active,,acme,hq,false,"office, floor 1"
        10.40.1.128/26,active,,acme,hq,false,printers
        10.40.1.0/24,active,lab,,,false,lab copy
        2001:db8:40::/64,active,,,,false,v6 servers
        """;

    private const string Addresses = """"
        address,vrf,tenant,status,role,dns_name,description
        10.40.1.10/24,,acme,active,,desk-10.example.net,desk
        10.40.1.130/26,,acme,active,,printer-1.example.net,"says ""hi"""
        10.40.1.10/24,lab,,reserved,,,lab twin
        2001:db8:40::5/64,,,active,,,
        """";

    private readonly string directory = Directory.CreateTempSubdirectory("ipam-netbox-test-").FullName;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Prefixes_and_addresses_become_subnets_and_allocations_in_the_most_specific_prefix(bool postgres)
    {
        await using var server = await StartAsync(postgres);
        var result = (await server.RunAsync("import", "--from", "netbox", await WriteAsync("prefixes.csv", Prefixes), await WriteAsync("ip.csv", Addresses)))
            .AssertOk();
        Assert.Contains("Imported 0 address scope(s), 0 subnet pool(s), 4 subnet(s), 4 allocation(s).", result.Out, StringComparison.Ordinal);
        Assert.Contains("Skipped 1 container prefix(es)", result.Error, StringComparison.Ordinal);

        var plan = JsonSerializer.Deserialize<JsonElement>((await server.RunAsync("export")).AssertOk().Out);
        var subnets = plan.GetProperty("subnets").EnumerateArray().ToList();
        var office = subnets.Single(s => s.GetProperty("name").GetString() == "office, floor 1");
        Assert.Equal("10.40.1.0/24", office.GetProperty("cidr").GetString());
        Assert.Equal("acme", office.GetProperty("tenant_id").GetString());
        Assert.Equal(JsonValueKind.Null, office.GetProperty("gateway_ip").ValueKind);
        Assert.Equal("10.40.1.1", office.GetProperty("allocation_pools")[0].GetProperty("start").GetString());
        Assert.Equal("10.40.1.254", office.GetProperty("allocation_pools")[0].GetProperty("end").GetString());

        var printers = subnets.Single(s => s.GetProperty("name").GetString() == "printers").GetProperty("id").GetString();
        var lab = subnets.Single(s => s.GetProperty("name").GetString() == "lab copy").GetProperty("id").GetString();
        var allocations = plan.GetProperty("allocations").EnumerateArray().ToList();
        var printer = allocations.Single(a => a.GetProperty("ip_address").GetString() == "10.40.1.130");
        Assert.Equal(printers, printer.GetProperty("subnet_id").GetString());
        Assert.Equal("printer-1.example.net", printer.GetProperty("owner").GetString());
        Assert.Equal("says \"hi\"", printer.GetProperty("description").GetString());
        var twins = allocations.Where(a => a.GetProperty("ip_address").GetString() == "10.40.1.10").Select(a => a.GetProperty("subnet_id").GetString());
        Assert.Equal(new[] { office.GetProperty("id").GetString(), lab }.Order(), twins.Order());

        // Imported addresses are taken: the next free address of the office subnet skips .10.
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var next = await http.PostAsJsonAsync($"/v1/subnets/{office.GetProperty("id").GetString()}/allocations",
            new { ip_address = "10.40.1.10" }, TestContext.Current.CancellationToken);
        Assert.Equal(409, (int)next.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_same_files_imported_again_duplicate_nothing_and_name_the_first_prefix_that_exists(bool postgres)
    {
        await using var server = await StartAsync(postgres);
        string[] import = ["import", "--from", "netbox", await WriteAsync("prefixes.csv", Prefixes), await WriteAsync("ip.csv", Addresses)];
        (await server.RunAsync(import)).AssertOk();
        var before = (await server.RunAsync("export")).AssertOk().Out;

        var again = (await server.RunAsync(import)).AssertFailed(1);

        Assert.StartsWith("error: prefixes.csv line 3: already-exists: A subnet with id ", again, StringComparison.Ordinal);
        Assert.EndsWith("(the prefix was imported before: a NetBox prefix is given the same id on every import); nothing was imported", again, StringComparison.Ordinal);
        Assert.Equal(before, (await server.RunAsync("export")).AssertOk().Out);
    }

    [Fact]
    public async Task The_same_prefix_of_two_tenants_from_two_netbox_instances_imports_as_two_subnets()
    {
        await using var server = await TestServer.StartAsync();
        (await server.RunAsync("import", "--from", "netbox", await WriteAsync("first.csv", "prefix,status,vrf,tenant\n10.0.0.0/24,active,,acme\n"))).AssertOk();
        (await server.RunAsync("import", "--from", "netbox", await WriteAsync("second.csv", "prefix,status,vrf,tenant\n10.0.0.0/24,active,,globex\n"))).AssertOk();

        var plan = JsonSerializer.Deserialize<JsonElement>((await server.RunAsync("export")).AssertOk().Out);
        var tenants = plan.GetProperty("subnets").EnumerateArray()
            .Where(s => s.GetProperty("cidr").GetString() == "10.0.0.0/24")
            .Select(s => s.GetProperty("tenant_id").GetString())
            .Order(StringComparer.Ordinal);
        Assert.Equal(["acme", "globex"], tenants);
    }

    [Fact]
    public async Task A_prefix_is_imported_under_an_id_named_by_its_vrf_tenant_and_prefix()
    {
        await using var server = await TestServer.StartAsync();
        (await server.RunAsync("import", "--from", "netbox", await WriteAsync("prefixes.csv", Prefixes))).AssertOk();

        var plan = JsonSerializer.Deserialize<JsonElement>((await server.RunAsync("export")).AssertOk().Out);
        var ids = plan.GetProperty("subnets").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("id").GetString());

        // Version 5 UUIDs in the import's namespace of "VRF\ntenant\nprefix": fixed forever, or a new version would import copies.
        Assert.Equal("25372486-6bb7-5128-b614-400415a54807", ids["office, floor 1"]);
        Assert.Equal("4e83779f-3d57-5698-84f0-6bfb542c7baf", ids["lab copy"]);
        Assert.Equal("b19707f1-fdfb-5747-82b6-c3c248306364", ids["v6 servers"]);
    }

    [Fact]
    public async Task The_table_view_export_with_column_titles_reads_the_same()
    {
        await using var server = await TestServer.StartAsync();
        var prefixes = await WriteAsync("view-prefixes.csv", "Prefix,Status,Children,VRF,Utilization,Tenant,Site,VLAN,Role\n192.168.7.0/24,Active,0,,12%,,,,\n");
        var addresses = await WriteAsync("view-ips.csv", "IP Address,VRF,Status,Role,Tenant,Assigned,DNS Name,Description\n192.168.7.9/24,,Active,,,,host-9.example.net,\n");
        (await server.RunAsync("import", "--from", "netbox", prefixes, addresses)).AssertOk();

        var plan = JsonSerializer.Deserialize<JsonElement>((await server.RunAsync("export")).AssertOk().Out);
        var allocation = Assert.Single(plan.GetProperty("allocations").EnumerateArray());
        Assert.Equal("192.168.7.9", allocation.GetProperty("ip_address").GetString());
        Assert.Equal("host-9.example.net", allocation.GetProperty("owner").GetString());
    }

    [Theory]
    [InlineData("address,vrf\n10.99.0.1/24,\n", "ip.csv line 2: no prefix in the global table holds 10.99.0.1")]
    [InlineData("address,vrf\n10.40.1.7/24,\n10.40.1.7/24,\n", "ip.csv line 3: 10.40.1.7 appears twice in one prefix of the global table (also line 2)")]
    [InlineData("address,vrf\nnot-an-address,\n", "ip.csv line 2: 'not-an-address' is not an IP address")]
    [InlineData("name,size\nx,1\n", "ip.csv is neither NetBox's prefixes")]
    [InlineData("address,vrf\n10.40.1.7/24,\n10.40.1.0/24,\n", "ip.csv line 3: address-reserved: 10.40.1.0 cannot be allocated: it is the network address; nothing was imported")]
    [InlineData("address,vrf,dns_name\n10.40.1.7/24,,\"bad\u001bname\"\n", "ip.csv line 2: invalid-request: ")]
    public async Task A_bad_line_names_its_file_and_line_and_nothing_is_imported(string addresses, string message)
    {
        await using var server = await TestServer.StartAsync();
        var before = (await server.RunAsync("export")).AssertOk().Out;

        var error = (await server.RunAsync("import", "--from", "netbox", await WriteAsync("prefixes.csv", Prefixes), await WriteAsync("ip.csv", addresses)))
            .AssertFailed(1);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal(before, (await server.RunAsync("export")).AssertOk().Out);
    }

    [Fact]
    public async Task Several_files_without_from_netbox_is_a_usage_error()
    {
        await using var server = await TestServer.StartAsync();
        var error = (await server.RunAsync("import", await WriteAsync("a.json", "{}"), await WriteAsync("b.json", "{}"))).AssertFailed(2);
        Assert.Contains("several files are read only with --from netbox", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ipam")]
    [InlineData("netbox")]
    public async Task A_file_over_the_import_limit_is_refused_before_it_is_read(string from)
    {
        await using var server = await TestServer.StartAsync();
        var before = (await server.RunAsync("export")).AssertOk().Out;
        var huge = Path.Combine(directory, "huge.csv");
        await using (var file = File.Create(huge))
        {
            // Sparse: the length is what is checked, so no 64 MiB is written.
            file.SetLength(Ipam.Import.ImportDocument.MaxBytes + 1);
        }

        var error = (await server.RunAsync("import", "--from", from, huge)).AssertFailed(1);

        Assert.Contains("huge.csv is 64.0 MiB, over the 64 MiB an import can hold; nothing was imported", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal(before, (await server.RunAsync("export")).AssertOk().Out);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static async Task<TestServer> StartAsync(bool postgres) => postgres
        ? await TestServer.StartAsync(postgresUrl: await (await SharedPostgres.GetAsync()).CreateDatabaseUrlAsync())
        : await TestServer.StartAsync();

    private async Task<string> WriteAsync(string name, string content)
    {
        var path = Path.Combine(directory, name);
        await File.WriteAllTextAsync(path, content, TestContext.Current.CancellationToken);
        return path;
    }
}
