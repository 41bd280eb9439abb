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

/// <summary>
/// Body of <c>PATCH /v1/subnets/{id}/allocations/{ip}</c>: omitted members stay as they are; <c>null</c> clears the
/// description, or makes the reservation permanent. <c>owner</c> is named only to be refused with a reason.
/// </summary>
public sealed class UpdateAllocationBody
{
    private DateTimeOffset? expiresAt;

    public JsonElement Description { get; set; }

    // The serializer calls a setter only for a member the body names, null included: that is how null differs from absent.
    public DateTimeOffset? ExpiresAt
    {
        get => expiresAt;
        set => (expiresAt, ExpiresAtGiven) = (value, true);
    }

    public JsonElement Owner { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool ExpiresAtGiven { get; private set; }
}

public sealed record AllocationDto(
    Guid SubnetId,
    string IpAddress,
    string? Owner,
    string? Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt);
