namespace Ipam.Storage.Sql;

/// <summary>
/// A hot statement ready to run on its prepared command, or, when it is the first statement of a transaction whose
/// <see cref="TransactionPrelude"/> is still to be sent, a batch of the prelude and the statement: one round trip
/// either way. The prelude returns no rows, so readers, counts and scalars are the statement's.
/// </summary>
internal readonly struct PreparedStatement
{
    private readonly DbCommand? _command;
    private readonly DbBatch? _batch;

    public PreparedStatement(DbCommand command) => _command = command;

    public PreparedStatement(DbBatch batch) => _batch = batch;

    /// <summary>The command, when the statement runs on one; null for a batch.</summary>
    public DbCommand? Command => _command;

    public Task<DbDataReader> ExecuteReaderAsync(CancellationToken cancellationToken) =>
        _batch?.ExecuteReaderAsync(cancellationToken) ?? _command!.ExecuteReaderAsync(cancellationToken);

    public Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) =>
        _batch?.ExecuteNonQueryAsync(cancellationToken) ?? _command!.ExecuteNonQueryAsync(cancellationToken);

    public Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) =>
        _batch?.ExecuteScalarAsync(cancellationToken) ?? _command!.ExecuteScalarAsync(cancellationToken);

    /// <summary>Disposes the batch; a command is released by its session, which may keep it.</summary>
    public ValueTask DisposeBatchAsync() => _batch?.DisposeAsync() ?? ValueTask.CompletedTask;
}
