namespace Ipam.Cli.Commands.NetBox;

internal enum NetBoxFileKind
{
    Prefixes,
    IpAddresses,
}
