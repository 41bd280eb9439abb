using System.Net;
using CsCheck;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Changes;

namespace Ipam.Core.Tests.Changes;

/// <summary>
/// An allocation's snapshot is stored short and read back whole: byte for byte the document the API showed before
/// the short form existed, whatever the allocation holds, with times as the databases give them back.
/// </summary>
public sealed class StoredSnapshotsTests
{
    private static readonly Gen<string?> OptionalText = Gen.Select(Gen.Int[0, 3], Gen.String, (kind, text) => kind switch
    {
        0 => null,
        1 => text,
        2 => "ip_address",
        _ => "vm-1 \"quoted\" \\ é 🙂 <tag>\n",
    });

    private static readonly Gen<DateTimeOffset> Times =
        Gen.Long[DateTimeOffset.UnixEpoch.UtcTicks, new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks].Select(t => new DateTimeOffset(t, TimeSpan.Zero));

    private static readonly Gen<IpAddress> Addresses = Gen.OneOf(
        Gen.UInt.Select(v => IpAddress.Parse(new IPAddress(v).ToString())),
        Gen.Byte.Array[16].Select(b => IpAddress.Parse(new IPAddress(b).ToString())));

    private static readonly Gen<(Allocation Allocation, string Actor)> Allocations =
        Gen.Select(Gen.Guid, Addresses, OptionalText, OptionalText, Times, Gen.Select(Gen.Bool, Times, (set, time) => set ? time : (DateTimeOffset?)null), Gen.Int[0, 2], Gen.String[1, 20])
            .Select((subnet, address, owner, description, created, expires, creator, actor) => (new Allocation
            {
                SubnetId = subnet,
                Address = address,
                Owner = owner,
                Description = description,
                CreatedAt = created,
                ExpiresAt = expires,
                CreatedBy = creator switch { 0 => null, 1 => actor, _ => actor + "-other" },
            }, actor));

    [Fact]
    public void ACreation_StoredShort_ReadsBackAsTheWholeSnapshot()
    {
        Gen.Select(Allocations, Gen.Bool).Sample((pair, microseconds) =>
        {
            var (allocation, actor) = pair;
            var stored = new Change
            {
                Type = ChangeTypes.AllocationCreated,
                At = AsStored(allocation.CreatedAt, microseconds),
                Actor = allocation.CreatedBy ?? actor,
                SubnetId = allocation.SubnetId,
                Address = allocation.Address,
                After = StoredSnapshots.Created(allocation, allocation.SubnetId, allocation.CreatedBy ?? actor),
            };

            Assert.Equal(ChangeSnapshots.Of(allocation), StoredSnapshots.Expand(stored).After);
            Assert.True(stored.After!.Length < ChangeSnapshots.Of(allocation).Length);
        }, iter: 2000);
    }

    [Theory]
    [InlineData(ChangeTypes.AllocationReleased)]
    [InlineData(ChangeTypes.AllocationExpired)]
    public void AnEnd_StoredShort_ReadsBackAsTheWholeSnapshot(string type)
    {
        Gen.Select(Allocations, Times, Gen.Bool).Sample((pair, releasedAt, microseconds) =>
        {
            var (allocation, actor) = pair;
            var stored = new Change
            {
                Type = type,
                At = releasedAt,
                Actor = actor + "-releaser",
                SubnetId = allocation.SubnetId,
                Address = allocation.Address,
                HeldSince = AsStored(allocation.CreatedAt, microseconds),
                Before = StoredSnapshots.Ended(allocation, allocation.SubnetId),
            };

            Assert.Equal(ChangeSnapshots.Of(allocation), StoredSnapshots.Expand(stored).Before);
        }, iter: 2000);
    }

    [Fact]
    public void AnAllocationInAnotherSubnetThanTheChangeNames_KeepsItsOwnSubnet()
    {
        Allocations.Sample(pair =>
        {
            var (allocation, actor) = pair;
            var stored = new Change
            {
                Type = ChangeTypes.AllocationCreated,
                At = allocation.CreatedAt,
                Actor = actor,
                SubnetId = Guid.NewGuid(),
                Address = allocation.Address,
                After = StoredSnapshots.Created(allocation, Guid.NewGuid(), actor),
            };

            Assert.Equal(ChangeSnapshots.Of(allocation with { CreatedBy = allocation.CreatedBy }), StoredSnapshots.Expand(stored).After);
        }, iter: 200);
    }

    [Fact]
    public void WholeSnapshotsWrittenBefore_AndOtherChanges_ReadAsTheyAre()
    {
        Allocations.Sample(pair =>
        {
            var (allocation, actor) = pair;
            var whole = ChangeSnapshots.Of(allocation);
            var created = new Change
            {
                Type = ChangeTypes.AllocationCreated, At = DateTimeOffset.UnixEpoch, Actor = actor, SubnetId = Guid.NewGuid(),
                Address = allocation.Address, After = whole,
            };
            var released = created with { Type = ChangeTypes.AllocationReleased, After = null, Before = whole };
            var subnet = created with { Type = ChangeTypes.SubnetUpdated, Before = "{\"name\":\"a\"}", After = "{\"name\":\"b\"}" };

            Assert.Same(created, StoredSnapshots.Expand(created));
            Assert.Same(released, StoredSnapshots.Expand(released));
            Assert.Same(subnet, StoredSnapshots.Expand(subnet));
        }, iter: 200);
    }

    /// <summary>The time as a store gives it back: exact on SQLite, to the microsecond on PostgreSQL.</summary>
    private static DateTimeOffset AsStored(DateTimeOffset time, bool microseconds) =>
        microseconds ? new DateTimeOffset(time.UtcTicks - (time.UtcTicks % 10), TimeSpan.Zero) : time;
}
