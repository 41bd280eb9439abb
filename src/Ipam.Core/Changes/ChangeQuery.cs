namespace Ipam.Changes;

/// <summary>A page of the change log in commit order: entries after <see cref="After"/>, at most <see cref="Limit"/>.</summary>
public sealed record ChangeQuery
{
    public long After { get; init; }

    public int Limit { get; init; } = 100;

    /// <summary>Only this tenant's entries, when set.</summary>
    public string? TenantId { get; init; }
}
