namespace Ipam.Testing;

/// <summary>
/// Sends each request to the next of several servers in turn, as a load balancer in front of several
/// instances would: consecutive requests of one client land on different instances. The request's own
/// path and query are kept; only the server changes.
/// </summary>
public sealed class RoundRobinHandler : DelegatingHandler
{
    private readonly Uri[] _servers;
    private readonly long[] _sent;
    private long _next = -1;

    public RoundRobinHandler(IEnumerable<Uri> servers)
        : base(new SocketsHttpHandler())
    {
        _servers = [.. servers];
        _sent = new long[_servers.Length];
        if (_servers.Length == 0)
        {
            throw new ArgumentException("At least one server is needed.", nameof(servers));
        }
    }

    /// <summary>How many requests went to each server, in the order the servers were given.</summary>
    public IReadOnlyList<long> Sent => [.. Enumerable.Range(0, _sent.Length).Select(i => Interlocked.Read(ref _sent[i]))];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var turn = (int)((ulong)Interlocked.Increment(ref _next) % (ulong)_servers.Length);
        Interlocked.Increment(ref _sent[turn]);
        request.RequestUri = new Uri(_servers[turn], request.RequestUri!.PathAndQuery);
        return base.SendAsync(request, cancellationToken);
    }
}
