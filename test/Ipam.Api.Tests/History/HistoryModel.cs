using System.Net;

namespace Ipam.Api.Tests.History;

/// <summary>
/// What a workload did, as the test saw it: every period each (subnet, address) was held, with when and why it
/// ended. History answers are compared with it.
/// </summary>
internal sealed class HistoryModel
{
    private readonly List<Period> _periods = [];

    public IEnumerable<Period> Current => _periods.Where(p => p.ReleasedAt is null);

    public Period? Holder(string subnet, string ip) => Current.SingleOrDefault(p => p.Subnet == subnet && p.Ip == ip);

    /// <summary>Reservations whose time is up at <paramref name="now"/> but that the server has not yet released.</summary>
    public List<Period> Pending(DateTimeOffset now, string? subnet = null) =>
        [.. Current.Where(p => p.ExpiresAt is { } expires && expires <= now && (subnet is null || p.Subnet == subnet))];

    public void Add(Period period) => _periods.Add(period);

    /// <summary>The periods of one address in one subnet, newest first.</summary>
    public List<Period> History(string subnet, string ip) =>
        [.. _periods.Where(p => p.Subnet == subnet && p.Ip == ip).OrderByDescending(p => p.AllocatedAt)];

    /// <summary>Who held <paramref name="ip"/> at <paramref name="time"/>, or now, in any subnet.</summary>
    public List<Period> Holders(string ip, DateTimeOffset? time) =>
        [.. _periods.Where(p => p.Ip == ip && (time is { } t ? p.AllocatedAt <= t && (p.ReleasedAt is not { } end || t < end) : p.ReleasedAt is null))];

    /// <summary>One owner's current allocations in the order the API lists them: by subnet id, then address.</summary>
    public List<Period> OfOwner(string owner) =>
        [.. Current.Where(p => p.Owner == owner).OrderBy(p => p.Subnet, StringComparer.Ordinal).ThenBy(p => Numeric(p.Ip))];

    private static uint Numeric(string ip)
    {
        var bytes = IPAddress.Parse(ip).GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }

    internal sealed class Period(string subnet, string ip, string? owner, DateTimeOffset allocatedAt, DateTimeOffset? expiresAt)
    {
        public string Subnet => subnet;

        public string Ip => ip;

        public string? Owner => owner;

        public DateTimeOffset AllocatedAt => allocatedAt;

        public DateTimeOffset? ExpiresAt => expiresAt;

        public DateTimeOffset? ReleasedAt { get; private set; }

        public string? ReleasedBy { get; private set; }

        public string? Reason { get; private set; }

        public void End(DateTimeOffset at, string reason)
        {
            Assert.Null(ReleasedAt);
            ReleasedAt = at;
            Reason = reason;
            ReleasedBy = reason == "expired" ? "system" : "anonymous";
        }

        public override string ToString() =>
            $"{subnet} {ip} owner={owner} [{allocatedAt:O}, {ReleasedAt:O}) {Reason} by {ReleasedBy}";
    }
}
