namespace Ipam.Changes;

/// <summary>A page of the change log in commit order: entries after <see cref="After"/>, at most <see cref="Limit"/>.</summary>
public sealed record ChangeQuery
{
    public long After { get; init; }

    public int Limit { get; init; } = 100;

    /// <summary>Only this tenant's entries, when set.</summary>
    public string? TenantId { get; init; }

    /// <summary>
    /// Also the revocation of this token (<see cref="ChangeTypes.TokenRevoked"/>), whichever tenant the page keeps: a
    /// follower acting with the token learns from the log itself where the token stopped holding, in commit order
    /// with the changes it reads, on every instance that reads the log.
    /// </summary>
    public Guid? RevocationOf { get; init; }
}
