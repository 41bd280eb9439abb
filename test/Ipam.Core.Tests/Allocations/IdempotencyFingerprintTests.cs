using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Allocations.Strategies;

namespace Ipam.Core.Tests.Allocations;

public sealed class IdempotencyFingerprintTests
{
    private static readonly Guid SubnetId = Guid.Parse("6f1c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70");

    /// <summary>The values earlier versions stored, when the strategy was an enum: a retry across an upgrade still matches.</summary>
    [Theory]
    [InlineData(AllocationStrategies.Random, 1, "vm-1", "77a4f828273fa6459f5e0bc27df3daff75cb8ca1e7d44a16882c66a05480dc45")]
    [InlineData(AllocationStrategies.Next, 3, null, "d5a76652e691f3fa1fd73e03033f9bb16b7a757fa1cdd0d7fcf99f840f01d56a")]
    public void Of_BuiltInStrategy_MatchesFingerprintStoredByEarlierVersions(string strategy, int count, string? owner, string expected)
    {
        var request = new AllocationRequest { Strategy = strategy, Count = count, Owner = owner };

        Assert.Equal(expected, IdempotencyFingerprint.Of(SubnetId, request));
    }

    [Fact]
    public void Of_DifferentStrategies_Differ()
    {
        string[] fingerprints = [.. new[] { AllocationStrategies.Random, AllocationStrategies.Next, "highest" }
            .Select(s => IdempotencyFingerprint.Of(SubnetId, new AllocationRequest { Strategy = s }))];

        Assert.Equal(3, fingerprints.Distinct().Count());
    }

    [Fact]
    public void OfRelease_DiffersFromEveryOtherRequest()
    {
        var address = IpAddress.Parse("10.0.0.5");
        string[] fingerprints =
        [
            IdempotencyFingerprint.OfRelease(SubnetId, address),
            IdempotencyFingerprint.OfRelease(SubnetId, IpAddress.Parse("10.0.0.6")),
            IdempotencyFingerprint.OfRelease(Guid.NewGuid(), address),
            IdempotencyFingerprint.Of(SubnetId, new AllocationRequest { Address = address }),
        ];

        Assert.Equal(fingerprints.Length, fingerprints.Distinct().Count());
        Assert.Equal(fingerprints[0], IdempotencyFingerprint.OfRelease(SubnetId, IpAddress.Parse("10.0.0.5")));
    }
}
