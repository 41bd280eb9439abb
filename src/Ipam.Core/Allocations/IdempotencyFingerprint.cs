using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ipam.Allocations.Strategies;

namespace Ipam.Allocations;

/// <summary>
/// What an <c>Idempotency-Key</c> remembers: a fingerprint of the request (to detect a key reused for a
/// different request) and the allocations it produced or released (to answer a retry with the original result).
/// </summary>
internal static class IdempotencyFingerprint
{
    /// <summary>How long a key is remembered.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public static string Of(Guid subnetId, AllocationRequest request)
    {
        var canonical = string.Join('\n',
            subnetId.ToString(), StrategyToken(request.Strategy), request.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            request.Address?.ToString() ?? "", request.MacAddress?.ToString() ?? "", request.AllowGateway ? "1" : "0",
            request.Owner ?? "\0", request.Description ?? "\0", request.ExpiresAt?.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>
    /// A release of <paramref name="address"/>: never equal to an allocation's fingerprint, so a key sent with
    /// one kind of request and then the other is a mismatch. Its response is the released allocation, or none when
    /// the address was not allocated.
    /// </summary>
    public static string OfRelease(Guid subnetId, IpAddress address) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', "release", subnetId.ToString(), address.ToString()))));

    /// <summary>
    /// The built-in strategies hash under the names of the enum that earlier versions hashed, so a key stored
    /// by one of them still matches a retry served by this one.
    /// </summary>
    private static string StrategyToken(string name) => name switch
    {
        AllocationStrategies.Random => "Random",
        AllocationStrategies.Next => "Next",
        _ => name,
    };

    public static string WriteResponse(IReadOnlyList<Allocation> allocations) =>
        JsonSerializer.Serialize(
            [.. allocations.Select(a => new StoredAllocation(a.SubnetId, a.Address.ToString(), a.Owner, a.Description, a.CreatedAt, a.ExpiresAt))],
            StoredAllocationContext.Default.StoredAllocationArray);

    public static IReadOnlyList<Allocation> ReadResponse(string json) =>
        [.. (JsonSerializer.Deserialize(json, StoredAllocationContext.Default.StoredAllocationArray) ?? []).Select(s => new Allocation
        {
            SubnetId = s.SubnetId,
            Address = IpAddress.Parse(s.Address),
            Owner = s.Owner,
            Description = s.Description,
            CreatedAt = s.CreatedAt,
            ExpiresAt = s.ExpiresAt,
        })];

    internal sealed record StoredAllocation(
        Guid SubnetId, string Address, string? Owner, string? Description, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);
}

[JsonSerializable(typeof(IdempotencyFingerprint.StoredAllocation[]))]
internal sealed partial class StoredAllocationContext : JsonSerializerContext;
