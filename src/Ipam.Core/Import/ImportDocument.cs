namespace Ipam.Import;

/// <summary>
/// An address plan as <c>ipam export</c> writes it: <c>{"format": "ipam-export", "version": 1, ...}</c>. Every value
/// is kept as text here so that <see cref="ImportService"/> can name the item whose value is wrong.
/// </summary>
public sealed class ImportDocument
{
    public const string FormatName = "ipam-export";

    public const int CurrentVersion = 1;

    public string? Format { get; set; }

    public int? Version { get; set; }

    public List<ImportedAddressScope> AddressScopes { get; set; } = [];

    public List<ImportedSubnetPool> SubnetPools { get; set; } = [];

    public List<ImportedSubnet> Subnets { get; set; } = [];

    public List<ImportedAllocation> Allocations { get; set; } = [];
}
