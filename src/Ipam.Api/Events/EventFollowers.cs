namespace Ipam.Api.Events;

/// <summary>
/// Counts the event streams and long-polls open on this instance, each of which holds a connection and a waiting reader
/// for as long as it lasts: at most <c>instanceLimit</c> in all (<c>ipam serve --max-event-followers</c>), and at most
/// <see cref="PerCaller"/> of one caller (token) where callers present tokens, so that one reader cannot take them all.
/// </summary>
public sealed class EventFollowers(int instanceLimit)
{
    /// <summary>The streams and long-polls one token may hold open on one instance at once.</summary>
    public const int PerCaller = 100;

    /// <summary>How long a refused follower is asked to wait before it tries again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _byCaller = new(StringComparer.Ordinal);
    private int _open;

    public int InstanceLimit => instanceLimit;

    /// <summary>The followers open now.</summary>
    public int Open
    {
        get
        {
            lock (_gate)
            {
                return _open;
            }
        }
    }

    /// <summary>
    /// A place for one more follower of <paramref name="caller"/> (null: not counted by caller), released when the lease is
    /// disposed; or null and the limit that refused it.
    /// </summary>
    public (IDisposable? Lease, EventFollowerLimit Refused) TryEnter(string? caller)
    {
        lock (_gate)
        {
            if (_open >= instanceLimit)
            {
                return (null, EventFollowerLimit.Instance);
            }

            if (caller is not null && _byCaller.GetValueOrDefault(caller) >= PerCaller)
            {
                return (null, EventFollowerLimit.Caller);
            }

            _open++;
            if (caller is not null)
            {
                _byCaller[caller] = _byCaller.GetValueOrDefault(caller) + 1;
            }

            return (new Lease(this, caller), EventFollowerLimit.None);
        }
    }

    private void Leave(string? caller)
    {
        lock (_gate)
        {
            _open--;
            if (caller is not null && --_byCaller[caller] == 0)
            {
                _byCaller.Remove(caller);
            }
        }
    }

    private sealed class Lease(EventFollowers followers, string? caller) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                followers.Leave(caller);
            }
        }
    }
}

/// <summary>Which limit refused a follower of the change log (<see cref="EventFollowers"/>).</summary>
public enum EventFollowerLimit
{
    None,
    Instance,
    Caller,
}
