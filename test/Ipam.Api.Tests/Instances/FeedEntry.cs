using Ipam.Changes;

namespace Ipam.Api.Tests.Instances;

/// <summary>What a follower compares of each change: its place in commit order and what it changed.</summary>
internal sealed record FeedEntry(long Sequence, string Type, Guid? SubnetId, string? Address)
{
    public static FeedEntry Of(Change change) => new(change.Sequence, change.Type, change.SubnetId, change.Address?.ToString());
}
