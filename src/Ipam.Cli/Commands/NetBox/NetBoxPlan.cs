using Ipam.Addressing;
using Ipam.Import;

namespace Ipam.Cli.Commands.NetBox;

/// <summary>
/// Turns NetBox's prefixes and IP addresses into an Ipam export document. A prefix becomes a subnet (named by
/// its description, with no gateway, since NetBox records none, and so the default allocation pools); an IP address
/// becomes an allocation in the most specific prefix of its VRF that holds it (owner: its DNS name). Container
/// prefixes are skipped: they group subnets and hold no addresses of their own. Each subnet's id is derived from its VRF,
/// tenant and prefix (<see cref="NetBoxIds"/>), so that importing the same prefixes again duplicates nothing.
/// </summary>
internal static class NetBoxPlan
{
    private const string ContainerStatus = "container";

    public static NetBoxImport Build(IReadOnlyList<NetBoxCsvFile> files)
    {
        var subnets = new JsonArray();
        var subnetRows = new List<NetBoxRow>();
        var byNetwork = new Dictionary<(string Vrf, Cidr Cidr), (string Id, NetBoxRow Row)>();
        var skipped = 0;
        foreach (var row in files.Where(f => f.Kind == NetBoxFileKind.Prefixes).SelectMany(f => f.Rows))
        {
            var cidr = Cidr.TryParse(row["prefix"], out var parsed, out var error)
                ? parsed
                : throw row.Error($"'{row["prefix"]}' is not a prefix ({error})");
            if (string.Equals(row["status"], ContainerStatus, StringComparison.OrdinalIgnoreCase))
            {
                skipped++;
                continue;
            }

            var vrf = row["vrf"] ?? "";
            if (byNetwork.TryGetValue((vrf, cidr), out var first))
            {
                throw row.Error($"{cidr} appears twice in {VrfName(vrf)} (also line {first.Row.Line})");
            }

            var id = NetBoxIds.Prefix(vrf, row["tenant"] ?? "", cidr).ToString();
            byNetwork[(vrf, cidr)] = (id, row);
            subnetRows.Add(row);
            subnets.Add(new JsonObject
            {
                ["id"] = id,
                ["cidr"] = cidr.ToString(),
                ["name"] = row["description"],
                ["gateway_ip"] = null,
                ["tenant_id"] = row["tenant"],
            });
        }

        var allocations = new JsonArray();
        var allocationRows = new List<NetBoxRow>();
        var taken = new Dictionary<(string SubnetId, IpAddress Address), NetBoxRow>();
        foreach (var row in files.Where(f => f.Kind == NetBoxFileKind.IpAddresses).SelectMany(f => f.Rows))
        {
            var text = row["address"] ?? throw row.Error("the address is empty");
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            var address = IpAddress.TryParse(slash < 0 ? text : text[..slash], out var a) ? a : throw row.Error($"'{text}' is not an IP address");
            var vrf = row["vrf"] ?? "";
            var subnetId = MostSpecific(byNetwork, vrf, address)
                ?? throw row.Error($"no prefix in {VrfName(vrf)} holds {address} (import the prefixes file too)");
            if (taken.TryGetValue((subnetId, address), out var first))
            {
                throw row.Error($"{address} appears twice in one prefix of {VrfName(vrf)} (also line {first.Line})");
            }

            taken[(subnetId, address)] = row;
            allocationRows.Add(row);
            allocations.Add(new JsonObject
            {
                ["subnet_id"] = subnetId,
                ["ip_address"] = address.ToString(),
                ["owner"] = row["dns_name"],
                ["description"] = row["description"],
                ["expires_at"] = null,
            });
        }

        var document = new JsonObject
        {
            ["format"] = ImportDocument.FormatName,
            ["version"] = ImportDocument.CurrentVersion,
            ["address_scopes"] = new JsonArray(),
            ["subnet_pools"] = new JsonArray(),
            ["subnets"] = subnets,
            ["allocations"] = allocations,
        };
        return new NetBoxImport(document, skipped, subnetRows, allocationRows);
    }

    /// <summary>The longest match, one lookup per prefix length: no scan of every prefix for every address.</summary>
    private static string? MostSpecific(Dictionary<(string Vrf, Cidr Cidr), (string Id, NetBoxRow Row)> byNetwork, string vrf, IpAddress address)
    {
        for (var length = address.Family.Bits; length >= 0; length--)
        {
            if (byNetwork.TryGetValue((vrf, Cidr.Containing(address, length)), out var match))
            {
                return match.Id;
            }
        }

        return null;
    }

    private static string VrfName(string vrf) => vrf.Length == 0 ? "the global table" : $"VRF '{vrf}'";
}
