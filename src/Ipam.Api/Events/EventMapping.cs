namespace Ipam.Api.Events;

internal static class EventMapping
{
    public static EventDto ToDto(this Change change, EventCursor cursors) => new(
        cursors.Of(change.Sequence),
        change.At,
        change.Type,
        change.Actor,
        change.TenantId,
        change.SubnetId,
        change.Address?.ToString(),
        Embedded(change.Before),
        Embedded(change.After),
        change.ResourceId,
        change.Cidr?.ToString(),
        change.Reason);

    /// <summary>The log keeps snapshots as JSON text; the feed embeds them as JSON objects, not strings.</summary>
    private static JsonElement? Embedded(string? snapshot) => snapshot is null ? null : JsonElement.Parse(snapshot);
}
