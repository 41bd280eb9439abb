namespace Ipam.Errors;

/// <summary>A request that the server's kind of database cannot serve (an online file copy of PostgreSQL).</summary>
public sealed class NotSupportedByStoreException(string detail)
    : IpamException(ErrorCodes.NotSupported, "Not supported by this database.", detail);
