namespace Ipam.Storage.Sql;

/// <summary>
/// One unit of work on a SQL connection inside an open transaction, for every SQL store: the statements, and
/// how ids and times are stored, come from the store's <see cref="SqlDialect"/>. Statements run through
/// Dapper, except the allocation path's hot ones, which run on prepared commands (from the connection's
/// <see cref="ICommandCache"/> where the store keeps one).
/// </summary>
/// <remarks>
/// <c>heldRevisions</c>, when given, holds subnet revisions already read in this transaction that only this
/// transaction can change until it ends: read under a share lock on PostgreSQL (by earlier units that can no
/// longer be undone alone), under the single writer's lock on SQLite. Every write that could change one
/// (<see cref="WriteScope.OtherRows"/>) clears the map, and so does undoing a unit to its savepoint.
/// <c>deferred</c>, when given, collects the allocation inserts into such subnets, held back to go with a later
/// round trip (see <see cref="DeferredInserts"/>). <c>unplacedCommits</c>: see <see cref="IIpamSession.UnplacedCommits"/>.
/// <c>prelude</c>, when given, is what the transaction runs first (see <see cref="TransactionPrelude"/>): whichever unit
/// sends the transaction's first statement sends it along.
/// </remarks>
internal sealed partial class SqlSession(
    DbConnection connection,
    DbTransaction? transaction,
    SqlDialect dialect,
    ICommandCache? commands = null,
    Dictionary<Guid, long>? heldRevisions = null,
    bool writes = false,
    LogTail? logTail = null,
    DeferredInserts? deferred = null,
    long unplacedCommits = 0,
    TransactionPrelude? prelude = null) : IIpamSession, IUnitOfWork
{
    private readonly List<Action> _onCommitted = [];
    private readonly List<Action> _onRolledBack = [];

    static SqlSession()
    {
        // Row types name their properties after the columns (ip_version → IpVersion).
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    /// <summary>Write units run in the store's write transactions, which see every earlier commit at each statement.</summary>
    public bool SeesEveryEarlierCommit => writes;

    public long? KnownLogEnd => logTail?.End;

    public long UnplacedCommits => unplacedCommits;

    public long? ChangesCheckedFrom => deferred?.CheckedFrom;

    public bool RunsAlone => deferred?.Alone == true;

    public IReadOnlyList<Change> ChangesSeenAtCommit => deferred?.SeenAtCommit ?? [];

    public long? ChangesAppendedAfter { get; set; }

    /// <summary>The session's connection and transaction, for tests that write rows of their own in a unit of work.</summary>
    public DbConnection Connection => connection;

    public DbTransaction? Transaction => transaction;

    /// <summary>Whether this unit may have changed rows, as each of its writes declared (see <see cref="WriteScope"/>).</summary>
    public bool Modified { get; private set; }

    public IReadOnlyList<Action> CommitActions => _onCommitted;

    public IReadOnlyList<Action> RollbackActions => _onRolledBack;

    private SqlText Sql => dialect.Sql;

    public void OnCommitted(Action action) => _onCommitted.Add(action);

    public void OnRolledBack(Action action) => _onRolledBack.Add(action);

    public async ValueTask<long> CountAsync(RowCount rows, CancellationToken cancellationToken)
    {
        var (sql, arguments) = rows.Rows switch
        {
            CountedRows.SubnetAllocations => (Sql.CountAllocations,
                Arguments().Id("subnet", rows.ParentId).Key("first", rows.Range?.First).Key("last", rows.Range?.Last)),
            CountedRows.PoolSubnets => (Sql.CountPoolSubnets, Arguments().Id("pool", rows.ParentId)),
            CountedRows.ScopeSubnetPools => (Sql.CountScopeSubnetPools, Arguments().Id("scope", rows.ParentId)),
            _ => throw new ArgumentOutOfRangeException(nameof(rows), rows.Rows, "Unknown rows to count."),
        };
        var command = await CommandAsync(sql, arguments, cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(command).ConfigureAwait(false);
    }

    private SqlArguments Arguments() => new(dialect);

    /// <summary>The arguments of a page of a list by id; each list adds its filters.</summary>
    private SqlArguments Page(KeysetQuery<Guid> query) => Arguments().Id("after", query.After).Int("limit", query.Limit);

    private string Locked(string sql, RowLock rowLock) => rowLock == RowLock.ForUpdate ? sql + Sql.ForUpdate : sql;

    /// <summary>
    /// A statement for Dapper to run, once the inserts held back before it have been sent (see <see cref="FlushDeferredAsync"/>);
    /// the transaction's prelude goes ahead of its text if it is the first (its parameters are named, so the driver
    /// sends the two statements together).
    /// </summary>
    private async ValueTask<CommandDefinition> CommandAsync(string sql, SqlArguments arguments, CancellationToken cancellationToken)
    {
        await FlushDeferredAsync().ConfigureAwait(false);
        return new(TransactionPrelude.Before(prelude, sql), arguments, transaction, commandType: CommandType.Text, cancellationToken: cancellationToken);
    }

    private async ValueTask<T?> QueryFirstAsync<T>(string sql, SqlArguments arguments, CancellationToken cancellationToken) =>
        await connection.QueryFirstOrDefaultAsync<T>(await CommandAsync(sql, arguments, cancellationToken).ConfigureAwait(false))
            .ConfigureAwait(false);

    /// <summary>The row of <paramref name="id"/>, held until the transaction ends when <paramref name="rowLock"/> asks for it.</summary>
    private ValueTask<TRow?> FindByIdAsync<TRow>(string sql, Guid id, RowLock rowLock, CancellationToken cancellationToken) =>
        QueryFirstAsync<TRow>(Locked(sql, rowLock), Arguments().Id("id", id), cancellationToken);

    private async ValueTask<List<T>> QueryAsync<T>(string sql, SqlArguments arguments, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<T>(await CommandAsync(sql, arguments, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false))
        .AsList();

    /// <summary>
    /// The aggregates of a query's rows, each completed by <paramref name="complete"/> (which reads its child
    /// rows) once all rows are read: a connection runs one reader at a time.
    /// </summary>
    private async ValueTask<List<T>> QueryAggregatesAsync<TRow, T>(
        string sql, SqlArguments arguments, Func<TRow, CancellationToken, ValueTask<T>> complete, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync<TRow>(sql, arguments, cancellationToken).ConfigureAwait(false);
        var aggregates = new List<T>(rows.Count);
        foreach (var row in rows)
        {
            aggregates.Add(await complete(row, cancellationToken).ConfigureAwait(false));
        }

        return aggregates;
    }

    /// <summary>Runs a write of <paramref name="scope"/> and returns the number of rows it changed.</summary>
    private async ValueTask<int> WriteAsync(WriteScope scope, string sql, SqlArguments arguments, CancellationToken cancellationToken)
    {
        var modifiedBefore = Declare(scope);
        var command = await CommandAsync(sql, arguments, cancellationToken).ConfigureAwait(false);
        var rows = await connection.ExecuteAsync(command).ConfigureAwait(false);
        Settle(scope, modifiedBefore, rows);
        return rows;
    }

    /// <summary>Deletes the row of <paramref name="id"/>; returns whether there was one.</summary>
    private async ValueTask<bool> DeleteByIdAsync(string sql, Guid id, CancellationToken cancellationToken) =>
        await WriteAsync(WriteScope.OtherRows, sql, Arguments().Id("id", id), cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>
    /// Records a write about to run: the unit counts as modified from now on (a failed statement may still
    /// have changed rows), and a write of <see cref="WriteScope.OtherRows"/> forgets the held
    /// revisions. Returns whether the unit was modified before.
    /// </summary>
    private bool Declare(WriteScope scope)
    {
        var modifiedBefore = Modified;
        Modified = true;
        if (scope == WriteScope.OtherRows)
        {
            heldRevisions?.Clear();
        }

        return modifiedBefore;
    }

    /// <summary>Records a write that ran: one of <see cref="WriteScope.AllocationRows"/> that changed no row leaves the unit as it was.</summary>
    private void Settle(WriteScope scope, bool modifiedBefore, int rows)
    {
        if (scope == WriteScope.AllocationRows)
        {
            Modified = modifiedBefore || rows > 0;
        }
    }

    /// <summary>
    /// A prepared command for a hot statement, with <paramref name="arguments"/> bound as the dialect binds them,
    /// once the inserts held back before it have been sent (see <see cref="FlushDeferredAsync"/>); a batch behind the
    /// transaction's prelude if it is the first.
    /// </summary>
    private async ValueTask<PreparedStatement> PreparedAsync(string sql, SqlArguments arguments)
    {
        await FlushDeferredAsync().ConfigureAwait(false);
        if (prelude is { Sent: false } && connection.CanCreateBatch)
        {
            var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            AddPrelude(batch);
            batch.BatchCommands.Add(BatchCommandOf(batch, sql, arguments));
            return new PreparedStatement(batch);
        }

        DbCommand command;
        if (commands is not null)
        {
            command = commands.Get(connection, transaction, sql);
        }
        else
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
        }

        arguments.BindTo(command, dialect.NamesParameters, dialect.ParameterPrefix);
        return new PreparedStatement(command);
    }

    /// <summary>Adds the transaction's prelude to <paramref name="batch"/> if it is still to be sent: call it before adding anything else.</summary>
    private void AddPrelude(DbBatch batch)
    {
        if (prelude?.Take() is { } statements)
        {
            foreach (var statement in statements)
            {
                batch.BatchCommands.Add(BatchCommandOf(batch, statement, Arguments()));
            }
        }
    }

    /// <summary>Adds the transaction's opening to a commit's <paramref name="batch"/> if nothing was sent before it (see <see cref="TransactionPrelude.TakeOpening"/>).</summary>
    private void AddOpening(DbBatch batch)
    {
        if (prelude?.TakeOpening() is { } opening)
        {
            batch.BatchCommands.Add(BatchCommandOf(batch, opening, Arguments()));
        }
    }

    /// <summary>Runs a statement that returns no rows on a prepared command, directly where the store can; returns the rows it changed.</summary>
    private async ValueTask<int> ExecutePreparedNonQueryAsync(string sql, SqlArguments arguments, CancellationToken cancellationToken)
    {
        if (commands is IDirectStatements direct)
        {
            // As the command would: a run that has begun is not interrupted (SQLite runs it in a few microseconds).
            cancellationToken.ThrowIfCancellationRequested();
            await FlushDeferredAsync().ConfigureAwait(false);
            if (direct.TryExecute(connection, sql, arguments) is { } changed)
            {
                return changed;
            }
        }

        var command = await PreparedAsync(sql, arguments).ConfigureAwait(false);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseAsync(command).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The integers of the first row of the last statement of <paramref name="sql"/>, run directly where the store can;
    /// otherwise null, and the caller runs the command.
    /// </summary>
    private async ValueTask<long[]?> TryQueryRowDirectlyAsync(string sql, SqlArguments arguments, CancellationToken cancellationToken)
    {
        if (commands is not IDirectStatements direct)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        await FlushDeferredAsync().ConfigureAwait(false);
        return direct.TryQueryRow(connection, sql, arguments);
    }

    /// <summary>A statement of <paramref name="batch"/>, with <paramref name="arguments"/> bound as the dialect binds them.</summary>
    private DbBatchCommand BatchCommandOf(DbBatch batch, string sql, SqlArguments arguments)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        arguments.BindTo(command.Parameters, command.CreateParameter, dialect.NamesParameters, dialect.ParameterPrefix);
        return command;
    }

    /// <summary>The rows of a statement run on a prepared command, mapped by Dapper.</summary>
    private async ValueTask<List<TRow>> QueryPreparedAsync<TRow>(string sql, SqlArguments arguments, CancellationToken cancellationToken)
    {
        var command = await PreparedAsync(sql, arguments).ConfigureAwait(false);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await ReadRowsAsync<TRow>(reader, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseAsync(command).ConfigureAwait(false);
        }
    }

    /// <summary>The rows of the reader's current result, mapped by Dapper.</summary>
    private static async ValueTask<List<TRow>> ReadRowsAsync<TRow>(DbDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<TRow>();
        // The parser is made at the first row: a statement that usually finds none (the expiry delete a
        // refusal runs) never pays for it.
        Func<DbDataReader, TRow>? parse = null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            parse ??= reader.GetRowParser<TRow>();
            rows.Add(parse(reader));
        }

        return rows;
    }

    /// <summary>
    /// A batch of the transaction for statements sent together in one round trip, once the inserts held back before
    /// it have been sent, behind the transaction's prelude if it is the first.
    /// </summary>
    private async ValueTask<DbBatch> NewBatchAsync()
    {
        await FlushDeferredAsync().ConfigureAwait(false);
        var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        AddPrelude(batch);
        return batch;
    }

    /// <summary>
    /// Reads a batch's <see cref="SqlText.SelectSubnetRevision"/> result and moves the reader past it: the revision,
    /// held from then on as <see cref="FindSubnetRevisionAsync"/> holds it, or none when the subnet does not exist.
    /// </summary>
    private async ValueTask<long?> ReadSubnetRevisionAsync(DbDataReader reader, Guid subnetId, CancellationToken cancellationToken)
    {
        long? revision = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetInt64(0) : null;
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        if (revision is { } held)
        {
            heldRevisions?.Add(subnetId, held);
        }

        return revision;
    }

    /// <summary>Disposes a statement's batch, or its command unless the connection's cache keeps it.</summary>
    private ValueTask ReleaseAsync(PreparedStatement statement) => statement.Command is { } command
        ? commands is null ? command.DisposeAsync() : ValueTask.CompletedTask
        : statement.DisposeBatchAsync();
}
