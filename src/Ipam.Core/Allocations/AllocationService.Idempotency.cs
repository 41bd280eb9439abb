namespace Ipam.Allocations;

/// <summary>
/// Requests sent with an <c>Idempotency-Key</c>. A key belongs to the subnet and the caller that sent it: the
/// same key on another subnet or from another caller is a new request, so no caller learns of another's keys.
/// </summary>
public sealed partial class AllocationService
{
    /// <summary>The remembered result of the key, or null when this caller has not sent it for this subnet.</summary>
    private async ValueTask<IReadOnlyList<Allocation>?> FindReplayAsync(
        IIpamSession session, Guid subnetId, string key, string fingerprint, CancellationToken ct)
    {
        var earlier = await session.FindIdempotencyRecordAsync(subnetId, changes.Actor, key, ct).ConfigureAwait(false);
        return ReplayOf(earlier, key, fingerprint);
    }

    /// <summary>The result <paramref name="earlier"/> remembers, if any; a record of another request under the key refuses this one.</summary>
    private static IReadOnlyList<Allocation>? ReplayOf(IdempotencyRecord? earlier, string key, string fingerprint)
    {
        if (earlier is null)
        {
            return null;
        }

        return earlier.Fingerprint == fingerprint
            ? IdempotencyFingerprint.ReadResponse(earlier.Response)
            : throw new IdempotencyKeyMismatchException(key);
    }

    private ValueTask RememberAsync(
        IIpamSession session, Guid subnetId, string key, string fingerprint, IReadOnlyList<Allocation> result, DateTimeOffset now, CancellationToken ct) =>
        session.InsertIdempotencyRecordAsync(
            new IdempotencyRecord(subnetId, changes.Actor, key, fingerprint, IdempotencyFingerprint.WriteResponse(result), now), ct);

    /// <remarks>
    /// Checked only once the key is known to be new: a retry of a reservation that has since run out answers
    /// with its original result, as every other retry does. Judged at the request's arrival, so that time spent
    /// waiting for the writer does not refuse a reservation that was in the future when it was asked for.
    /// </remarks>
    private static void ThrowIfExpired(AllocationRequest request, DateTimeOffset arrived)
    {
        if (request.ExpiresAt is { } expires && expires <= arrived)
        {
            throw ValidationException.InvalidRequest("expires_at", "expires_at must be in the future.");
        }
    }
}
