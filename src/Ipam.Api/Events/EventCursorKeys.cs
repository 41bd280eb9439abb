using System.Security.Cryptography;

namespace Ipam.Api.Events;

/// <summary>The <see cref="EventCursor"/> of a caller, with the key the database keeps, read once per process.</summary>
public sealed class EventCursorKeys(IIpamStore store)
{
    public const string SecretName = "event-cursor";

    private byte[]? key;

    /// <summary>Plain for a caller who sees every tenant; sealed for a caller limited to one.</summary>
    internal async ValueTask<EventCursor> ForAsync(ICallerContext caller, CancellationToken cancellationToken)
    {
        if (caller.TenantId is null)
        {
            return EventCursor.Plain;
        }

        if (Volatile.Read(ref key) is not { } known)
        {
            var secret = await store.ReadAsync((session, ct) => session.FindSecretAsync(SecretName, ct), cancellationToken)
                ?? throw new InvalidOperationException($"The database holds no '{SecretName}' secret: its migrations have not run.");
            known = SHA256.HashData(secret)[..16];
            Volatile.Write(ref key, known);
        }

        return EventCursor.Sealed(known, caller.TenantId);
    }
}
