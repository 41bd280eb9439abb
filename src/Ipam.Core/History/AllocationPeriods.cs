using System.Globalization;
using System.Text.Json;

namespace Ipam.History;

/// <summary>Allocation periods from the allocations table (current ones) and from the change log (ended ones).</summary>
internal static class AllocationPeriods
{
    public static AllocationPeriod Of(Allocation allocation, Cidr cidr) => new(
        AllocationPeriod.Current, allocation.SubnetId, cidr, allocation.Address, allocation.Owner, allocation.Description,
        AllocatedAt: allocation.CreatedAt, AllocatedBy: allocation.CreatedBy);

    /// <summary>
    /// The period a change that ended an allocation closes: the allocation as it was (the change's
    /// <see cref="Change.Before"/>), and the change's time, actor and reason as its end.
    /// </summary>
    public static AllocationPeriod Ended(Change change)
    {
        using var before = JsonDocument.Parse(change.Before ?? "{}");
        var allocation = before.RootElement;
        return new AllocationPeriod(
            change.Sequence,
            change.SubnetId ?? Guid.Empty,
            change.Cidr,
            change.Address ?? throw new ArgumentException("An allocation's end names its address.", nameof(change)),
            Text(allocation, "owner"),
            Text(allocation, "description"),
            AllocatedAt: change.HeldSince ?? Time(allocation, "created_at") ?? change.At,
            AllocatedBy: Text(allocation, "created_by"),
            ReleasedAt: change.At,
            ReleasedBy: change.Actor,
            ReleaseReason: change.Reason ?? (change.Type == ChangeTypes.AllocationExpired ? ReleaseReasons.Expired : ReleaseReasons.Released));
    }

    private static string? Text(JsonElement allocation, string name) =>
        allocation.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Time(JsonElement allocation, string name) =>
        Text(allocation, name) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;
}
