namespace Ipam.Api.Events;

/// <summary>
/// One committed change as the events feed shows it. <see cref="Id"/> is its cursor; <see cref="Before"/> and
/// <see cref="After"/> are the resource as the API showed it before and after the change (JSON objects).
/// </summary>
public sealed record EventDto(
    string Id,
    DateTimeOffset At,
    string Type,
    string Actor,
    string? TenantId,
    Guid? SubnetId,
    string? IpAddress,
    JsonElement? Before,
    JsonElement? After,
    Guid? ResourceId,
    string? Cidr,
    string? Reason);
