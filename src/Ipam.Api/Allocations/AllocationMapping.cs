using Ipam.Allocations;
using Ipam.Allocations.Strategies;

namespace Ipam.Api.Allocations;

internal static class AllocationMapping
{
    public static AllocationDto ToDto(this Allocation allocation) => new(
        allocation.SubnetId,
        allocation.Address.ToString(),
        allocation.Owner,
        allocation.Description,
        allocation.CreatedAt,
        allocation.ExpiresAt);

    /// <summary>
    /// Checks that the body asks for exactly one kind of allocation and converts it; the count, the strategy
    /// name and that <c>expires_at</c> lies ahead are checked by <see cref="AllocationService"/> (a retry with
    /// an <c>Idempotency-Key</c> answers with its original result even once that time has passed).
    /// </summary>
    public static AllocationRequest ToRequest(this AllocateBody body)
    {
        var kinds = (body.IpAddress is not null ? 1 : 0) + (body.MacAddress is not null ? 1 : 0);
        if (kinds > 1)
        {
            throw ValidationException.InvalidRequest("ip_address", "Give ip_address or mac_address, not both.");
        }

        if (kinds == 1 && (body.Strategy is not null || body.Count is not null))
        {
            throw ValidationException.InvalidRequest("strategy", "strategy and count apply only when no ip_address or mac_address is given.");
        }

        if (body.AllowGateway is not null && body.IpAddress is null)
        {
            throw ValidationException.InvalidRequest("allow_gateway", "allow_gateway applies only to ip_address requests.");
        }

        return new AllocationRequest
        {
            Strategy = body.Strategy ?? AllocationStrategies.Default,
            Count = body.Count ?? 1,
            Address = body.IpAddress is null ? null : Input.Address("ip_address", body.IpAddress),
            MacAddress = body.MacAddress is null ? null : Input.Mac("mac_address", body.MacAddress),
            AllowGateway = body.AllowGateway ?? false,
            Owner = Input.Text("owner", body.Owner),
            Description = Input.Text("description", body.Description),
            ExpiresAt = body.ExpiresAt,
        };
    }

    public static AllocationUpdate ToUpdate(this UpdateAllocationBody body)
    {
        if (body.Owner.ValueKind != JsonValueKind.Undefined)
        {
            throw ValidationException.InvalidRequest("owner", "owner cannot change: history tells holders apart by it. Release the address and allocate it again.");
        }

        return new AllocationUpdate
        {
            Description = Input.ClearableText("description", body.Description),
            ExpiresAt = body.ExpiresAtGiven ? new Optional<DateTimeOffset?>(body.ExpiresAt) : default,
        };
    }
}
