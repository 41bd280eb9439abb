namespace Ipam.Storage;

/// <summary>
/// The remembered outcome of a request sent with an <c>Idempotency-Key</c>. A key belongs to one subnet and
/// one caller (<paramref name="Actor"/>): the same key on another subnet or from another caller is another
/// request, and the record goes when its subnet does.
/// </summary>
public sealed record IdempotencyRecord(Guid SubnetId, string Actor, string Key, string Fingerprint, string Response, DateTimeOffset CreatedAt);
