using System.Security.Cryptography;
using System.Text;
using Ipam.Addressing;

namespace Ipam.Cli.Commands.NetBox;

/// <summary>
/// The id a NetBox prefix is imported under: a name-based UUID (RFC 9562 version 5) of its VRF, tenant and prefix. The
/// same files imported again name the same subnets, which the server refuses as existing instead of adding copies;
/// files exported again from NetBox after a change do too. The tenant is part of the name because subnet ids are
/// global: two tenants' 10.0.0.0/24, from two NetBox instances, are two subnets, and neither tenant's import is refused
/// for the other's.
/// </summary>
internal static class NetBoxIds
{
    /// <summary>The namespace of the names; every id an import ever gave depends on it, so it never changes.</summary>
    private static readonly Guid PrefixNamespace = new("adbbe9a1-e299-498e-a893-8f5d83208e38");

    /// <summary>
    /// The subnet id of <paramref name="cidr"/> in the VRF named <paramref name="vrf"/> ("" for the global table) for
    /// <paramref name="tenant"/> ("" for none).
    /// </summary>
    public static Guid Prefix(string vrf, string tenant, Cidr cidr) => NameBased(PrefixNamespace, $"{vrf}\n{tenant}\n{cidr}");

    private static Guid NameBased(Guid space, string name)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        space.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));
#pragma warning disable CA5350 // Version 5 is defined on SHA-1; the hash names, it protects nothing.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
