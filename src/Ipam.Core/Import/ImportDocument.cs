using System.Diagnostics.CodeAnalysis;

namespace Ipam.Import;

/// <summary>
/// An address plan as <c>ipam export</c> writes it: <c>{"format": "ipam-export", "version": 1, ...}</c>. Every value
/// is kept as text here so that <see cref="ImportService"/> can name the item whose value is wrong.
/// </summary>
public sealed class ImportDocument
{
    public const string FormatName = "ipam-export";

    public const int CurrentVersion = 1;

    /// <summary>The largest document an import takes: a whole address plan, far larger than any other request.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    public string? Format { get; set; }

    public int? Version { get; set; }

    // A list given as null is one left out, as a list is in the other bodies (a pool's prefixes, a subnet's
    // allocation_pools); a null item is refused by ImportService, named after its place.
    [AllowNull]
    public List<ImportedAddressScope?> AddressScopes { get; set => field = value ?? []; } = [];

    [AllowNull]
    public List<ImportedSubnetPool?> SubnetPools { get; set => field = value ?? []; } = [];

    [AllowNull]
    public List<ImportedSubnet?> Subnets { get; set => field = value ?? []; } = [];

    [AllowNull]
    public List<ImportedAllocation?> Allocations { get; set => field = value ?? []; } = [];
}
