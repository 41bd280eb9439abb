using System.Buffers;
using System.Text;
using System.Text.Json;
using Ipam.Tokens;

namespace Ipam.Changes;

/// <summary>
/// A resource as the change log keeps it in <see cref="Change.Before"/> and <see cref="Change.After"/>: JSON
/// with the names and forms the HTTP API uses for that resource (snake_case, canonical addresses, RFC 3339 UTC).
/// </summary>
internal static class ChangeSnapshots
{
    public static string Of(Allocation allocation) => Write(w =>
    {
        w.WriteString("subnet_id", allocation.SubnetId);
        w.WriteString("ip_address", allocation.Address.ToString());
        w.WriteString("owner", allocation.Owner);
        w.WriteString("description", allocation.Description);
        Time(w, "created_at", allocation.CreatedAt);
        Time(w, "expires_at", allocation.ExpiresAt);
        w.WriteString("created_by", allocation.CreatedBy);
    });

    public static string Of(Subnet subnet) => Write(w =>
    {
        w.WriteString("id", subnet.Id);
        w.WriteString("cidr", subnet.Cidr.ToString());
        w.WriteNumber("ip_version", (int)subnet.Version);
        w.WriteString("gateway_ip", subnet.Gateway?.ToString());
        w.WriteStartArray("allocation_pools");
        foreach (var pool in subnet.AllocationPools)
        {
            w.WriteStartObject();
            w.WriteString("start", pool.First.ToString());
            w.WriteString("end", pool.Last.ToString());
            w.WriteEndObject();
        }

        w.WriteEndArray();
        OptionalId(w, "subnet_pool_id", subnet.SubnetPoolId);
        w.WriteString("ipv6_address_mode", subnet.Ipv6AddressMode?.ToWire());
        w.WriteString("tenant_id", subnet.TenantId);
        w.WriteString("name", subnet.Name);
        w.WriteNumber("reuse_cooldown_seconds", subnet.ReuseCooldownSeconds);
    });

    public static string Of(SubnetPool pool) => Write(w =>
    {
        w.WriteString("id", pool.Id);
        w.WriteString("name", pool.Name);
        w.WriteNumber("ip_version", (int)pool.Version);
        w.WriteStartArray("prefixes");
        foreach (var prefix in pool.Prefixes)
        {
            w.WriteStringValue(prefix.ToString());
        }

        w.WriteEndArray();
        w.WriteNumber("default_prefixlen", pool.DefaultPrefixLength);
        w.WriteNumber("min_prefixlen", pool.MinPrefixLength);
        w.WriteNumber("max_prefixlen", pool.MaxPrefixLength);
        if (pool.DefaultQuota is { } quota)
        {
            w.WriteNumber("default_quota", quota);
        }
        else
        {
            w.WriteNull("default_quota");
        }

        OptionalId(w, "address_scope_id", pool.AddressScopeId);
        w.WriteString("tenant_id", pool.TenantId);
    });

    public static string Of(AddressScope scope) => Write(w =>
    {
        w.WriteString("id", scope.Id);
        w.WriteString("name", scope.Name);
        w.WriteNumber("ip_version", (int)scope.Version);
        w.WriteString("tenant_id", scope.TenantId);
    });

    /// <summary>The token as <c>GET /v1/tokens</c> shows it: never the secret, nor its hash.</summary>
    public static string Of(Token token) => Write(w =>
    {
        w.WriteString("id", token.Id);
        w.WriteString("name", token.Name);
        w.WriteString("role", CallerRoles.ToWire(token.Role));
        w.WriteString("tenant_id", token.TenantId);
        Time(w, "created_at", token.CreatedAt);
        Time(w, "expires_at", token.ExpiresAt);
        Time(w, "revoked_at", token.RevokedAt);
        w.WriteString("created_by", token.CreatedBy);
    });

    internal static string Write(Action<Utf8JsonWriter> properties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            properties(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void OptionalId(Utf8JsonWriter writer, string name, Guid? id)
    {
        if (id is { } value)
        {
            writer.WriteString(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>A time as the snapshots write it.</summary>
    internal static string Time(DateTimeOffset time) => TimeText.Format(time);

    private static void Time(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            writer.WriteString(name, Time(value));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
