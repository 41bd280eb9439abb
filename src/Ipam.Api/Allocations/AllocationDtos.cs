namespace Ipam.Api.Allocations;

/// <summary>Body of <c>POST /v1/subnets/{id}/allocations</c>.</summary>
public sealed class AllocateBody
{
    public string? Strategy { get; set; }

    public string? IpAddress { get; set; }

    public string? MacAddress { get; set; }

    public int? Count { get; set; }

    public bool? AllowGateway { get; set; }

    public string? Owner { get; set; }

    public string? Description { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }
}

public sealed record AllocationDto(
    Guid SubnetId,
    string IpAddress,
    string? Owner,
    string? Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt);
