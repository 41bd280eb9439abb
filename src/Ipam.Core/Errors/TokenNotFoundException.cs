namespace Ipam.Errors;

public sealed class TokenNotFoundException(Guid tokenId)
    : IpamException(ErrorCodes.TokenNotFound, "Token not found.", $"Token {tokenId} does not exist.",
        new Dictionary<string, object?> { ["token_id"] = tokenId });
