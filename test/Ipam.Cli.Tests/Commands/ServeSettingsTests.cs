using System.Text.RegularExpressions;
using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Commands;

/// <summary>
/// Where <c>ipam serve</c> takes each setting from: flags, then IPAM_* variables, then the config file, then defaults.
/// Changes the process environment, so it runs in the collection that runs alone.
/// </summary>
[Collection(nameof(ServerAddressTests))]
public sealed partial class ServeSettingsTests : IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), $"ipam-config-{Guid.NewGuid():N}.json");
    private readonly Dictionary<string, string?> _saved = [];

    [Fact]
    public async Task Settings_FromEveryPlace_FlagsBeatTheEnvironmentWhichBeatsTheFileWhichBeatsDefaults()
    {
        File.WriteAllText(_config, """
            {
              // comments are allowed
              "urls": ["http://127.0.0.1:7001", "http://[::1]:7001"],
              "history-days": 30,
              "request-timeout": 4,
              "log-format": "json",
              "auth": "on"
            }
            """);
        Set("IPAM_CONFIG", _config);
        Set("IPAM_HISTORY_DAYS", "60");
        Set("IPAM_REQUEST_TIMEOUT", "5");
        Set("IPAM_RATE_LIMIT", "250");
        Set("IPAM_CACHE_MB", "64");
        Set("IPAM_SQLITE_SHARING", "readers");

        var settings = await ShowAsync("--request-timeout", "6", "--rate-limit", "0");

        Assert.Equal(("http://127.0.0.1:7001;http://[::1]:7001", $"config file {_config}"), settings["urls"]);
        Assert.Equal(("60", "IPAM_HISTORY_DAYS"), settings["history-days"]);
        Assert.Equal(("6", "command line"), settings["request-timeout"]);
        Assert.Equal(("0", "command line"), settings["rate-limit"]);
        Assert.Equal(("64", "IPAM_CACHE_MB"), settings["cache-mb"]);
        Assert.Equal(("json", $"config file {_config}"), settings["log-format"]);
        Assert.Equal(("on", $"config file {_config}"), settings["auth"]);
        Assert.Equal(($"sqlite:{Path.GetFullPath("./ipam.db")}", "default"), settings["database"]);
        Assert.Equal(("localhost;127.0.0.1;[::1]: the loopback names, as every URL is loopback", "default"), settings["allowed-hosts"]);
        Assert.Equal(("readers", "IPAM_SQLITE_SHARING"), settings["sqlite-sharing"]);
    }

    [Fact]
    public async Task Settings_SqliteSharing_DefaultsToExclusive()
    {
        var settings = await ShowAsync();

        Assert.Equal(("exclusive", "default"), settings["sqlite-sharing"]);
    }

    [Fact]
    public async Task Settings_LeftUnset_ShowWhatTheyComeToForTheUrls()
    {
        var loopback = await ShowAsync("--urls", "http://127.0.0.1:7002");
        Set("AllowedHosts", "ipam.example;ipam");
        var exposed = await ShowAsync("--urls", "http://0.0.0.0:7002");

        Assert.Equal(("off: every URL is loopback", "default"), loopback["auth"]);
        Assert.Equal(("none, as authentication is off", "default"), loopback["rate-limit"]);
        Assert.Equal(("on: a URL is not loopback", "default"), exposed["auth"]);
        Assert.Equal(("1000 requests/s per caller, as authentication is on", "default"), exposed["rate-limit"]);
        Assert.Equal(("ipam.example;ipam", "AllowedHosts"), exposed["allowed-hosts"]);
    }

    [Fact]
    public async Task Settings_ConfigFlag_BeatsIpamConfigAndDatabasePasswordIsHidden()
    {
        File.WriteAllText(_config, """{"database": "postgresql://ipam:s3cret@db.example:5432/ipam"}""");
        Set("IPAM_CONFIG", "/nonexistent/ipam.json");

        var settings = await ShowAsync("--config", _config);

        Assert.Equal(("postgresql://ipam:***@db.example:5432/ipam", $"config file {_config}"), settings["database"]);
    }

    [Fact]
    public async Task Settings_EnvironmentVariable_IsParsedAndValidatedLikeTheFlag()
    {
        Set("IPAM_HISTORY_DAYS", "0");

        var message = (await IpamCli.RunAsync("serve", "--show-settings")).AssertFailed(2);

        Assert.Contains("IPAM_HISTORY_DAYS: --history-days must be an integer from 1 to 36500, not '0'.", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"histroy-days": 5}""", "unknown setting \"histroy-days\"")]
    [InlineData("""{"auth": true}""", "\"auth\" must be a string, a number or an array of strings")]
    [InlineData("""{"log-format": "xml"}""", "\"log-format\"")]
    [InlineData("""[1, 2]""", "must hold one JSON object")]
    [InlineData("""{"urls": """, "cannot read the config file")]
    [InlineData("""{"history-days": 5, "history-days": 50}""", "\"history-days\" is given more than once")]
    public async Task Settings_BadConfigFile_ExitsWithUsageErrorNamingTheFile(string json, string expected)
    {
        File.WriteAllText(_config, json);

        var message = (await IpamCli.RunAsync("serve", "--config", _config, "--show-settings")).AssertFailed(2);

        Assert.Contains(_config, message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_ConfigFileIsADirectory_ExitsWithUsageErrorSayingSo()
    {
        var directory = Directory.CreateTempSubdirectory("ipam-config-dir-").FullName;
        try
        {
            var message = (await IpamCli.RunAsync("serve", "--config", directory, "--show-settings")).AssertFailed(2);

            Assert.Equal($"error: cannot read the config file {directory}: it is a directory", message);
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [Fact]
    public async Task Serve_UrlsAndDatabaseFromTheEnvironment_ListensThereOnThatDatabase()
    {
        using var database = new TempDatabase();
        Set("IPAM_URLS", "http://127.0.0.1:0");
        Set("IPAM_DATABASE", $"sqlite:{database.Path}");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var stdout = new StringWriter();
        var serve = CliApp.RunAsync(["serve"], TextWriter.Synchronized(stdout), TextWriter.Null, stop.Token);

        var url = await WaitForAsync(stdout, serve, ListeningLine());
        (await IpamCli.RunAsync("subnet", "create", "10.29.0.0/24", "--server", url)).AssertOk();
        await stop.CancelAsync();

        Assert.Equal(0, await serve);
        Assert.Contains($"(database: sqlite:{database.Path})", stdout.ToString(), StringComparison.Ordinal);
        Assert.True(new FileInfo(database.Path).Length > 0);
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        File.Delete(_config);
    }

    /// <summary>Runs <c>ipam serve --show-settings ARGS</c>: each setting's value and where it came from.</summary>
    private static async Task<Dictionary<string, (string Value, string Source)>> ShowAsync(params string[] args)
    {
        var lines = (await IpamCli.RunAsync(["serve", "--show-settings", .. args])).AssertOk().Lines;
        return lines.Select(l => SettingLine().Match(l)).ToDictionary(m => m.Groups["name"].Value, m => (m.Groups["value"].Value, m.Groups["source"].Value));
    }

    private void Set(string name, string value)
    {
        _saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }

    private static async Task<string> WaitForAsync(StringWriter stdout, Task<int> serve, Regex line)
    {
        for (var waited = 0; waited < 600; waited++)
        {
            Assert.False(serve.IsCompleted, $"serve stopped early: {stdout}");
            if (line.Match(stdout.ToString()) is { Success: true } match)
            {
                return match.Groups["url"].Value;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"serve did not print where it listens: {stdout}");
    }

    [GeneratedRegex(@"^(?<name>[a-z-]+)\s+(?<value>.*?)  \((?<source>.*)\)$")]
    private static partial Regex SettingLine();

    [GeneratedRegex(@"^Ipam listening on (?<url>http://127\.0\.0\.1:\d+)", RegexOptions.Multiline)]
    private static partial Regex ListeningLine();
}
