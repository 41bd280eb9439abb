namespace Ipam.Import;

public sealed class ImportedAllocation
{
    public Guid? SubnetId { get; set; }

    public string? IpAddress { get; set; }

    public string? Owner { get; set; }

    public string? Description { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }
}
