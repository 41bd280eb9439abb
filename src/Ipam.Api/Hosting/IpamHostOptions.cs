using Ipam.Api.Observability;
using Ipam.Caching;

namespace Ipam.Api.Hosting;

/// <summary>Everything needed to run the service; the CLI fills it from <c>ipam serve</c>'s options.</summary>
public sealed record IpamHostOptions
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public const int DefaultHistoryDays = 400;

    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);

    public string Urls { get; init; } = DefaultUrls;

    public DatabaseLocation Database { get; init; } = DatabaseLocation.Default;

    /// <summary>
    /// The Host header values accepted (ASP.NET Core's AllowedHosts syntax: names, <c>*.example.com</c>, <c>*</c>).
    /// Null: the loopback names when every URL is loopback, else any host.
    /// </summary>
    public IReadOnlyList<string>? AllowedHosts { get; init; }

    /// <summary>How often expired reservations are released.</summary>
    public TimeSpan ExpirySweepInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the change log keeps a change (<c>ipam serve --history-days</c>); older ones are pruned.</summary>
    public TimeSpan HistoryRetention { get; init; } = TimeSpan.FromDays(DefaultHistoryDays);

    /// <summary>How often old changes are pruned (and once at start).</summary>
    public TimeSpan HistoryPruneInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The most changes deleted by one write transaction while pruning.</summary>
    public int HistoryPruneBatchSize { get; init; } = 1000;

    /// <summary>The pause between two pruning transactions, which leaves the writer to requests.</summary>
    public TimeSpan HistoryPrunePause { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How often the change log is folded into the usage counters (<see cref="UsageFolder"/>). A usage read adds the
    /// log past the fold to the counters, so this bounds what one read adds, not whether it is exact.
    /// </summary>
    public TimeSpan UsageFoldInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The most changes one fold's write transaction takes.</summary>
    public int UsageFoldBatchSize { get; init; } = 10_000;

    /// <summary>
    /// How long a request may take in all, queueing, retries and backoff included; past it the caller gets a 503
    /// (and a write already under way is reported as of unknown outcome).
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    /// <summary>The requests per second a rate-limited caller may make when authentication is on.</summary>
    public const int DefaultRateLimit = 1000;

    /// <summary>
    /// Whether every request must present an API token (<c>ipam serve --auth on|off</c>). Null: on, unless every
    /// URL is loopback (see <see cref="RequiresTokens"/>).
    /// </summary>
    public bool? Authentication { get; init; }

    /// <summary>Requests per second allowed per token, and per remote address without one; 0 turns the limit off. Null: see <see cref="RequestsPerSecond"/>.</summary>
    public int? RateLimit { get; init; }

    /// <summary>Whether requests need a token: as configured, else unless every URL is loopback.</summary>
    public bool RequiresTokens => Authentication ?? !Hosting.AllowedHosts.AllLoopback(Urls);

    /// <summary>
    /// The Host header values answered: <see cref="AllowedHosts"/>, else <paramref name="fromConfiguration"/> (ASP.NET
    /// Core's own <c>AllowedHosts</c> setting), else the loopback names when every URL is loopback, else any.
    /// </summary>
    public IReadOnlyList<string> AllowedHostsWith(string? fromConfiguration) => Hosting.AllowedHosts.For(AllowedHosts, fromConfiguration, Urls);

    /// <summary>The rate limit in force: as configured, else <see cref="DefaultRateLimit"/> with authentication on and none without.</summary>
    public int RequestsPerSecond => RateLimit ?? (RequiresTokens ? DefaultRateLimit : 0);

    /// <summary>The bytes the subnets' free-address indexes may hold (<c>ipam serve --cache-mb</c>); see <see cref="IpamCacheOptions"/>.</summary>
    public long CacheBytes { get; init; } = IpamCacheOptions.DefaultFreeSpaceBytes;

    /// <summary>The default of <see cref="MaxEventFollowers"/>.</summary>
    public const int DefaultMaxEventFollowers = 1000;

    /// <summary>
    /// How many event streams and long-polls the instance serves at once (<c>ipam serve --max-event-followers</c>); one
    /// more is refused with 503 and Retry-After. With tokens, one caller may hold at most <see cref="Events.EventFollowers.PerCaller"/>.
    /// </summary>
    public int MaxEventFollowers { get; init; } = DefaultMaxEventFollowers;

    /// <summary>How long an event stream may stay silent before a comment tells proxies and clients it is alive.</summary>
    public TimeSpan EventHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often each instance measures how far this machine's clock is from the database server's.</summary>
    public TimeSpan ClockAlignmentInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>This machine's clock, against which the database server's is measured (replaced only in tests).</summary>
    public TimeProvider HostClock { get; init; } = TimeProvider.System;

    /// <summary>How the log is written to the console (<c>ipam serve --log-format</c>).</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    /// <summary>How old the survey behind the subnet utilisation metric may be before a scrape starts a new one.</summary>
    public TimeSpan UtilisationSurveyInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// On SQLite, whether other processes (the <c>sqlite3</c> shell, a backup with <c>.backup</c>) may open the database
    /// while the server runs (<c>ipam serve --sqlite-sharing readers</c>); by default the server holds it alone, which
    /// spares every transaction SQLite's file-lock system calls. Ignored on PostgreSQL.
    /// </summary>
    public bool SqliteOtherProcessesMayRead { get; init; }

    /// <summary>Durable commits (fsync per transaction). Off only for throwaway test databases.</summary>
    public bool DurableCommits { get; init; } = true;
}
