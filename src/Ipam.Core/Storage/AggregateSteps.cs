namespace Ipam.Storage;

/// <summary>The steps the services of every aggregate share: reading one by id, deleting one no row refers to.</summary>
internal static class AggregateSteps
{
    /// <summary>Reads one aggregate on a snapshot; throws <paramref name="notFound"/>'s exception when it does not exist.</summary>
    public static Task<T> ReadOneAsync<T>(
        this IIpamStore store, Func<IIpamSession, CancellationToken, ValueTask<T?>> find, Func<Exception> notFound, CancellationToken cancellationToken)
        where T : class =>
        store.ReadAsync(async (session, ct) => await find(session, ct).ConfigureAwait(false) ?? throw notFound(), cancellationToken);

    /// <summary>
    /// Throws <see cref="InUseException"/> (the count under <paramref name="reference"/>) when rows still refer
    /// to the row about to be deleted, which the caller has locked so that none can be added meanwhile.
    /// </summary>
    public static async ValueTask ThrowIfReferencedAsync(
        this IIpamSession session, RowCount references, string reference, Func<long, string> detail, CancellationToken cancellationToken)
    {
        var count = await session.CountAsync(references, cancellationToken).ConfigureAwait(false);
        if (count > 0)
        {
            throw new InUseException(detail(count), new Dictionary<string, object?> { [reference] = count });
        }
    }

    /// <summary>
    /// Deletes one aggregate in a unit of work: finds it with its row locked (<paramref name="findForUpdate"/>),
    /// refuses while rows counted by <paramref name="references"/> still refer to it, then runs <paramref name="delete"/> on it.
    /// The work runs alone (<see cref="IIpamStore.WriteAloneAsync{T}"/>): others' work locks the row shared.
    /// </summary>
    public static Task DeleteUnreferencedAsync<T>(
        this IIpamStore store,
        Func<IIpamSession, CancellationToken, ValueTask<T?>> findForUpdate,
        Func<Exception> notFound,
        (RowCount Rows, string Name, Func<T, long, string> Detail) references,
        Func<IIpamSession, T, CancellationToken, ValueTask<bool>> delete,
        CancellationToken cancellationToken)
        where T : class =>
        store.WriteAloneAsync(async (session, ct) =>
        {
            var found = await findForUpdate(session, ct).ConfigureAwait(false) ?? throw notFound();
            await session.ThrowIfReferencedAsync(references.Rows, references.Name, count => references.Detail(found, count), ct).ConfigureAwait(false);
            await delete(session, found, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
}
