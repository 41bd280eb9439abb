using Ipam.Api.Hosting;
using Ipam.Caching;

namespace Ipam.Cli.Commands;

/// <summary>
/// The options of <c>ipam serve</c>. Every one of <see cref="Settings"/> may also come from the environment
/// (<c>IPAM_</c> and its name in capitals, '-' as '_') or from the config file (its name as the key); see <see cref="ServeSettings"/>.
/// </summary>
internal sealed class ServeOptions
{
    public ServeOptions()
    {
        Urls = new Option<string>("--urls")
        {
            Description = "Where to listen; several URLs separated by ';'. Port 0 picks a free port.",
            HelpName = "URL",
            DefaultValueFactory = _ => IpamHostOptions.DefaultUrls,
            CustomParser = ValueParsers.ListenUrls,
        };
        Database = ServeCommand.DatabaseOption(withDefault: true);
        AllowedHosts = new Option<string>("--allowed-hosts")
        {
            Description = "Host header values the server answers to, separated by ';' (e.g. 'ipam.example.com;*.corp.example'; '*' for any); " +
                "other hosts get 400. Default: only localhost, 127.0.0.1 and [::1] when every --urls address is loopback " +
                "(so that no web page can reach the server through DNS rebinding), otherwise any host. " +
                "The AllowedHosts setting (e.g. the environment variable) is used when this is not given.",
            HelpName = "HOSTS",
        };
        Auth = new Option<string>("--auth")
        {
            Description = "Require an API token on every /v1 request (on), or let requests without one act as an anonymous admin (off; " +
                "a token presented is still checked). Default: off when every --urls address is loopback, otherwise on. " +
                "Make the first admin token with 'ipam token create --database ... --role admin'.",
            HelpName = "on|off",
        };
        Auth.AcceptOnlyFromAmong("on", "off");
        RateLimit = new Option<int?>("--rate-limit")
        {
            Description = $"Requests per second allowed per token (and per remote address without one); 0 turns the limit off. " +
                $"Default: {IpamHostOptions.DefaultRateLimit} with authentication on, off without. Over it: 429 with Retry-After.",
            HelpName = "N",
            CustomParser = ValueParsers.IntegerFrom(0, 1_000_000),
        };
        MaxEventFollowers = new Option<int?>("--max-event-followers")
        {
            Description = "How many event streams and long-polls (GET /v1/events with Accept: text/event-stream or wait) this instance serves at once; " +
                $"one more gets 503 with Retry-After. With tokens, one token may hold at most {Ipam.Api.Events.EventFollowers.PerCaller} (429).",
            HelpName = "N",
            DefaultValueFactory = _ => IpamHostOptions.DefaultMaxEventFollowers,
            CustomParser = ValueParsers.IntegerFrom(1, 1_000_000),
        };
        HistoryDays = new Option<int?>("--history-days")
        {
            Description = "How many days (1 to 36500) the change log (history and events) keeps a change; older changes are pruned in the background, hourly and at start.",
            HelpName = "DAYS",
            DefaultValueFactory = _ => IpamHostOptions.DefaultHistoryDays,
            CustomParser = ValueParsers.IntegerFrom(1, 36_500),
        };
        CacheMb = new Option<int?>("--cache-mb")
        {
            Description = "Megabytes (1 to 1048576) the subnets' free-address indexes may hold in all; past it the least recently used " +
                "are dropped and rebuilt from the database when their subnet is used again.",
            HelpName = "MB",
            DefaultValueFactory = _ => (int)(IpamCacheOptions.DefaultFreeSpaceBytes >> 20),
            CustomParser = ValueParsers.IntegerFrom(1, 1 << 20),
        };
        RequestTimeout = new Option<double>("--request-timeout")
        {
            Description = "Seconds a request may take in all, queueing and retries included; past that it is answered 503.",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => IpamHostOptions.DefaultRequestTimeout.TotalSeconds,
            CustomParser = ValueParsers.SecondsUpTo(3600),
        };
        LogFormat = new Option<string>("--log-format")
        {
            Description = "The log on stdout: text for people, or json, one JSON object per line with the trace id of the request it concerns.",
            HelpName = "text|json",
            DefaultValueFactory = _ => "text",
        };
        LogFormat.AcceptOnlyFromAmong("text", "json");
        SqliteSharing = new Option<string>("--sqlite-sharing")
        {
            Description = "On SQLite, who may open the database file while the server runs: exclusive, the server alone (another process " +
                "that opens it is told the database is locked; every transaction is spared SQLite's file-lock system calls), or readers, " +
                "so that the sqlite3 shell or a backup with .backup can read it beside the server. Ignored on PostgreSQL.",
            HelpName = "exclusive|readers",
            DefaultValueFactory = _ => "exclusive",
        };
        SqliteSharing.AcceptOnlyFromAmong("exclusive", "readers");
        Config = new Option<string>("--config")
        {
            Description = $"A JSON file of settings, keyed by option name without the dashes (e.g. {{\"database\": \"sqlite:/var/lib/ipam/ipam.db\", \"history-days\": 90}}); " +
                $"also ${ServeSettings.ConfigVariable}. Options given on the command line win over the environment (IPAM_DATABASE, IPAM_HISTORY_DAYS, ...), which wins over the file.",
            HelpName = "FILE",
        };
        ShowSettings = new Option<bool>("--show-settings")
        {
            Description = "Print each setting's value and where it came from (option, environment variable, config file or default), then exit.",
        };
        Settings = [Urls, Database, AllowedHosts, Auth, RateLimit, MaxEventFollowers, HistoryDays, CacheMb, RequestTimeout, LogFormat, SqliteSharing];
    }

    public Option<string> Urls { get; }

    public Option<string> Database { get; }

    public Option<string> AllowedHosts { get; }

    public Option<string> Auth { get; }

    public Option<int?> RateLimit { get; }

    public Option<int?> MaxEventFollowers { get; }

    public Option<int?> HistoryDays { get; }

    public Option<int?> CacheMb { get; }

    public Option<double> RequestTimeout { get; }

    public Option<string> LogFormat { get; }

    public Option<string> SqliteSharing { get; }

    public Option<string> Config { get; }

    public Option<bool> ShowSettings { get; }

    /// <summary>The options that the environment and the config file may set too.</summary>
    public IReadOnlyList<Option> Settings { get; }

    public void AddTo(Command command)
    {
        foreach (var option in Settings)
        {
            command.Options.Add(option);
        }

        command.Options.Add(Config);
        command.Options.Add(ShowSettings);
    }
}
