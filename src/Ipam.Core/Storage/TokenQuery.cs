namespace Ipam.Storage;

/// <summary>A page of tokens ordered by id.</summary>
public sealed record TokenQuery : KeysetQuery<Guid>;
