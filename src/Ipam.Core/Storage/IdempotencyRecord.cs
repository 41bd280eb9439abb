namespace Ipam.Storage;

/// <summary>The remembered outcome of a request sent with an <c>Idempotency-Key</c>.</summary>
public sealed record IdempotencyRecord(string Key, string Fingerprint, string Response, DateTimeOffset CreatedAt);
