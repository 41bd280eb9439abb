namespace Ipam.Api.Hosting;

/// <summary>Everything needed to run the service; the CLI fills it from <c>ipam serve</c>'s options.</summary>
public sealed record IpamHostOptions
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);

    public string Urls { get; init; } = DefaultUrls;

    public DatabaseLocation Database { get; init; } = DatabaseLocation.Default;

    /// <summary>How often expired reservations are released.</summary>
    public TimeSpan ExpirySweepInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a request may take in all, queueing, retries and backoff included; past it the caller gets a 503
    /// (and a write already under way is reported as of unknown outcome).
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    /// <summary>Durable commits (fsync per transaction). Off only for throwaway test databases.</summary>
    public bool DurableCommits { get; init; } = true;
}
