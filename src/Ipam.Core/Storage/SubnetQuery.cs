namespace Ipam.Storage;

/// <summary>A page of subnets ordered by id, optionally filtered.</summary>
public sealed record SubnetQuery : KeysetQuery<Guid>
{
    public Guid? SubnetPoolId { get; init; }

    public string? TenantId { get; init; }

    public IpVersion? IpVersion { get; init; }
}
