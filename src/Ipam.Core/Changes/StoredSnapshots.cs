using System.Globalization;
using System.Text.Json;

namespace Ipam.Changes;

/// <summary>
/// An allocation's snapshot as the change log stores it: without what the change's own columns already say (the
/// subnet, the address, when it was made, and by whom when that is the change's actor) and without empty fields.
/// Every allocation writes one, so this halves the change row. <see cref="Expand"/> gives back, byte for byte, the
/// document <see cref="ChangeSnapshots.Of(Allocation)"/> writes; a stored snapshot is told from a full one by its
/// missing address, so rows written before this form read as they are.
/// </summary>
internal static class StoredSnapshots
{
    private const string SubnetId = "subnet_id", Address = "ip_address", Owner = "owner", Description = "description";
    private const string ExpiresAt = "expires_at", CreatedBy = "created_by";

    /// <summary>The allocation as the change that made it stores it: that change's time is its creation, its actor the creator unless the allocation names none.</summary>
    public static string Created(Allocation allocation, Guid subnetId, string actor) => Write(allocation, subnetId, impliedCreator: actor);

    /// <summary>The allocation as the change that ended it stores it: that change's held-since is its creation.</summary>
    public static string Ended(Allocation allocation, Guid subnetId) => Write(allocation, subnetId, impliedCreator: null);

    /// <summary>
    /// <paramref name="change"/> as the API shows it: its allocation snapshot (after a creation, before an end) whole
    /// again, from what the change's columns hold; any other change, or a snapshot stored whole, as it is.
    /// </summary>
    public static Change Expand(Change change)
    {
        if (change.Type == ChangeTypes.AllocationCreated && Whole(change.After, change, change.At, change.Actor) is { } after)
        {
            return change with { After = after };
        }

        if (ChangeTypes.EndsAllocation(change.Type) && Whole(change.Before, change, change.HeldSince ?? change.At, impliedCreator: null) is { } before)
        {
            return change with { Before = before };
        }

        return change;
    }

    private static string Write(Allocation allocation, Guid subnetId, string? impliedCreator) => ChangeSnapshots.Write(w =>
    {
        if (allocation.SubnetId != subnetId)
        {
            w.WriteString(SubnetId, allocation.SubnetId);
        }

        if (allocation.Owner is { } owner)
        {
            w.WriteString(Owner, owner);
        }

        if (allocation.Description is { } description)
        {
            w.WriteString(Description, description);
        }

        if (allocation.ExpiresAt is { } expires)
        {
            w.WriteString(ExpiresAt, ChangeSnapshots.Time(expires));
        }

        if (allocation.CreatedBy != impliedCreator)
        {
            w.WriteString(CreatedBy, allocation.CreatedBy);
        }
    });

    /// <summary>
    /// The whole snapshot for a stored one, written by <see cref="ChangeSnapshots.Of(Allocation)"/> from the allocation
    /// the stored fields and the change's columns describe; null when there is none, or it is whole already (it names
    /// its address).
    /// </summary>
    private static string? Whole(string? stored, Change change, DateTimeOffset createdAt, string? impliedCreator)
    {
        if (stored is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(stored);
        var given = document.RootElement;
        if (given.TryGetProperty(Address, out _))
        {
            return null;
        }

        return ChangeSnapshots.Of(new Allocation
        {
            SubnetId = Text(given, SubnetId) is { } subnet ? Guid.Parse(subnet) : change.SubnetId ?? Guid.Empty,
            Address = change.Address ?? throw new ArgumentException("An allocation's change names its address.", nameof(change)),
            Owner = Text(given, Owner),
            Description = Text(given, Description),
            CreatedAt = createdAt,
            ExpiresAt = Text(given, ExpiresAt) is { } expires ? DateTimeOffset.Parse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null,
            CreatedBy = given.TryGetProperty(CreatedBy, out var creator) ? creator.GetString() : impliedCreator,
        });
    }

    private static string? Text(JsonElement snapshot, string name) => snapshot.TryGetProperty(name, out var value) ? value.GetString() : null;
}
