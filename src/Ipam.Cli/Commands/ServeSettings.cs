using Ipam.Api.Hosting;
using Ipam.Caching;
using Ipam.Api.Observability;

namespace Ipam.Cli.Commands;

/// <summary>
/// The value of each <c>ipam serve</c> setting and where it came from: the command line, else the environment
/// (<c>IPAM_URLS</c>, <c>IPAM_HISTORY_DAYS</c>, ...), else the config file (<c>--config</c> or <c>IPAM_CONFIG</c>), else the
/// default. A value from the environment or the file is parsed and validated exactly as the option would be.
/// </summary>
internal sealed class ServeSettings
{
    public const string ConfigVariable = "IPAM_CONFIG";

    public const string CommandLine = "command line";

    public const string Default = "default";

    /// <summary>ASP.NET Core's own setting, which the server honours when <c>--allowed-hosts</c> is not given.</summary>
    private const string AllowedHostsVariable = "AllowedHosts";

    private readonly Dictionary<Option, (ParseResult From, string Source)> _settings;

    private ServeSettings(Dictionary<Option, (ParseResult, string)> settings) => _settings = settings;

    /// <summary>The environment variable of an option: <c>--history-days</c> is <c>IPAM_HISTORY_DAYS</c>.</summary>
    public static string VariableOf(Option option) => "IPAM_" + KeyOf(option).ToUpperInvariant().Replace('-', '_');

    /// <summary>The config file's key of an option: its name without the dashes.</summary>
    public static string KeyOf(Option option) => option.Name.TrimStart('-');

    public static ServeSettings Resolve(ServeOptions options, Command serve, ParseResult commandLine, Func<string, string?> environment)
    {
        var configPath = commandLine.GetValue(options.Config) ?? NonEmpty(environment(ConfigVariable));
        var file = configPath is null ? new Dictionary<string, string>() : ConfigFile.Read(configPath, options.Settings.Select(KeyOf));
        var settings = new Dictionary<Option, (ParseResult, string)>();
        foreach (var option in options.Settings)
        {
            var variable = VariableOf(option);
            settings[option] = commandLine.GetResult(option) is { Implicit: false }
                ? (commandLine, CommandLine)
                : NonEmpty(environment(variable)) is { } fromEnvironment
                    ? (Parse(serve, option, fromEnvironment, variable), variable)
                    : file.TryGetValue(KeyOf(option), out var fromFile)
                        ? (Parse(serve, option, fromFile, $"{configPath}: \"{KeyOf(option)}\""), $"config file {configPath}")
                        : (commandLine, Default);
        }

        return new ServeSettings(settings);
    }

    public T? Get<T>(Option<T> option) => _settings[option].From.GetValue(option);

    public string SourceOf(Option option) => _settings[option].Source;

    /// <summary>
    /// Each setting as "name value source", for <c>--show-settings</c>; the database without its password, and a setting
    /// left unset as what it comes to (authentication, the rate limit and the allowed hosts follow from the URLs).
    /// </summary>
    public IEnumerable<string> Describe(ServeOptions options, Func<string, string?> environment)
    {
        var width = options.Settings.Max(o => KeyOf(o).Length) + 2;
        var host = ToHostOptions(options);
        var aspNetHosts = NonEmpty(environment(AllowedHostsVariable));
        foreach (var option in options.Settings)
        {
            var source = option == options.AllowedHosts && Get(options.AllowedHosts) is null && aspNetHosts is not null
                ? AllowedHostsVariable
                : SourceOf(option);
            var value = _settings[option].From.GetResult(option)?.GetValueOrDefault<object?>() switch
            {
                null when option == options.Auth => host.RequiresTokens ? "on: a URL is not loopback" : "off: every URL is loopback",
                null when option == options.RateLimit => host.RequestsPerSecond > 0
                    ? $"{host.RequestsPerSecond.ToString(CultureInfo.InvariantCulture)} requests/s per caller, as authentication is on"
                    : "none, as authentication is off",
                null when option == options.AllowedHosts => DescribeHosts(host, aspNetHosts),
                null => "(not set)",
                string database when option == options.Database && DatabaseLocation.TryParse(database, out var location, out _) => ServeCommand.Describe(location),
                IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString() ?? "",
            };
            yield return $"{KeyOf(option).PadRight(width)}{value}  ({source})";
        }
    }


    /// <summary>The Host headers the server will answer, and why when it is the default for the URLs.</summary>
    private static string DescribeHosts(IpamHostOptions host, string? fromAspNet)
    {
        var hosts = host.AllowedHostsWith(fromAspNet);
        var listed = string.Join(';', hosts);
        return fromAspNet is not null ? listed
            : hosts is ["*"] ? $"{listed}: any host, as a URL is not loopback"
            : $"{listed}: the loopback names, as every URL is loopback";
    }

    public IpamHostOptions ToHostOptions(ServeOptions options)
    {
        if (!DatabaseLocation.TryParse(Get(options.Database), out var location, out var error))
        {
            throw new UsageException(error);
        }

        return new IpamHostOptions
        {
            Urls = Get(options.Urls) ?? IpamHostOptions.DefaultUrls,
            Database = location,
            AllowedHosts = Get(options.AllowedHosts)?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            HistoryRetention = TimeSpan.FromDays(Get(options.HistoryDays) ?? IpamHostOptions.DefaultHistoryDays),
            RequestTimeout = TimeSpan.FromSeconds(Get(options.RequestTimeout)),
            CacheBytes = (long)(Get(options.CacheMb) ?? (int)(IpamCacheOptions.DefaultFreeSpaceBytes >> 20)) << 20,
            Authentication = Get(options.Auth) is { } switched ? switched == "on" : null,
            RateLimit = Get(options.RateLimit),
            MaxEventFollowers = Get(options.MaxEventFollowers) ?? IpamHostOptions.DefaultMaxEventFollowers,
            LogFormat = Get(options.LogFormat) == "json" ? LogFormat.Json : LogFormat.Text,
            SqliteOtherProcessesMayRead = Get(options.SqliteSharing) == "readers",
        };
    }

    /// <summary>Parses one value as the option would be on the command line; an error names where the value came from.</summary>
    private static ParseResult Parse(Command serve, Option option, string value, string source)
    {
        var result = serve.Parse([$"{option.Name}={value}"]);
        if (result.Errors.Count > 0)
        {
            throw new UsageException($"{source}: {string.Join(" ", result.Errors.Select(e => Messages.OneLine(e.Message)))}");
        }

        return result;
    }

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
