namespace Ipam.Errors;

public sealed class InUseException(string detail, IReadOnlyDictionary<string, object?> references)
    : IpamException(ErrorCodes.InUse, "Still in use.", detail,
        new Dictionary<string, object?> { ["references"] = references });
