namespace Ipam.Errors;

public sealed class IdempotencyKeyMismatchException(string key)
    : IpamException(ErrorCodes.IdempotencyKeyMismatch, "Idempotency key reused.",
        $"Idempotency key '{key}' was already used for a different request.",
        new Dictionary<string, object?> { ["idempotency_key"] = key });
