namespace Ipam.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database file on its own connection, so that no commit pays for it. The
/// writer runs with <c>wal_autocheckpoint = 0</c> and calls <see cref="Committed"/> after each commit.
/// </summary>
/// <remarks>
/// While commits go on, a PASSIVE checkpoint runs every <see cref="SqliteStoreOptions.CheckpointInterval"/>:
/// it never blocks the writer. But SQLite starts the WAL over from its beginning only when a write begins
/// with every page of it copied, which a busy writer (committing again while each checkpoint runs) never
/// gives it, and a RESTART checkpoint from here would have to win the write lock from that writer. So
/// once the WAL holds <see cref="SqliteStoreOptions.WalResetPages"/> pages the writer is asked to run the
/// RESTART itself between two batches (<see cref="TakeResetRequest"/>); the background checkpoints have
/// copied nearly everything by then, so it is short, and the WAL file cannot grow without bound. No background
/// checkpoint starts from the request until the writer's RESTART has ended (<see cref="ResetDone"/>): only one
/// connection may checkpoint at a time, and SQLite refuses the other at once, without waiting. After a
/// few intervals without commits a RESTART copies everything and lets the next write start the WAL over in the
/// file as it is (commits that overwrite the file sync less than commits that extend it), and the writer's journal
/// size limit cuts a larger file back to its bound then; after a long spell without commits a TRUNCATE empties the
/// WAL file. Checkpoints only copy
/// committed pages, so durability is the writer's (its commits still sync the WAL); a crash at any point
/// loses nothing. The checkpoints block on file I/O, so they run on a thread of their own: on the thread
/// pool they would wait behind the requests on a busy machine while the WAL grew, and hold a pool thread while
/// they copy.
/// </remarks>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    /// <summary>
    /// How long a checkpoint that blocks writes (a TRUNCATE here, the writer's RESTART) waits for readers still on an
    /// older snapshot. While it waits, every write waits behind it, so it gives up soon and tries again later:
    /// a long read only lets the WAL grow for as long as it lasts, and never holds the writes up.
    /// </summary>
    public static TimeSpan Patience { get; } = TimeSpan.FromMilliseconds(10);

    /// <summary>How long the last TRUNCATE, when the store closes and nothing writes any more, waits for readers.</summary>
    private static readonly TimeSpan ClosingPatience = TimeSpan.FromSeconds(1);

    /// <summary>Intervals without a commit after which the next write starts the WAL over (a RESTART).</summary>
    private const int IdleRoundsBeforeRestart = 5;

    /// <summary>Intervals without a commit, after that RESTART, after which the WAL file is emptied (a TRUNCATE).</summary>
    private const int IdleRoundsBeforeTruncate = 300;

    /// <summary>How many times, an interval apart, an idle checkpoint tries again while readers are behind.</summary>
    private const int IdleAttempts = 50;

    private const int ResetIdle = 0;
    private const int ResetWanted = 1;
    private const int ResetRunning = 2;

    private readonly ManualResetEventSlim _wake = new(false);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SqliteConnection _connection;
    private readonly TimeSpan _interval;
    private readonly long _resetPages;
    private int _committed;
    private int _reset = ResetIdle;

    public SqliteCheckpointer(string connectionString, TimeSpan interval, long resetPages)
    {
        _interval = interval;
        _resetPages = resetPages;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        _connection.Open();
        // An idle TRUNCATE gives up after this (see Patience), and the next idle spell tries again.
        Execute($"PRAGMA busy_timeout = {(int)Patience.TotalMilliseconds};");
        new Thread(Run) { IsBackground = true, Name = "SQLite checkpoints" }.Start();
    }

    /// <summary>
    /// True once after the WAL reached the reset size: the writer should then run
    /// <c>PRAGMA wal_checkpoint(RESTART)</c> before its next transaction, and call <see cref="ResetDone"/> after it.
    /// </summary>
    public bool TakeResetRequest() =>
        Volatile.Read(ref _reset) == ResetWanted && Interlocked.CompareExchange(ref _reset, ResetRunning, ResetWanted) == ResetWanted;

    /// <summary>The writer's RESTART has ended, done or not: background checkpoints may run again.</summary>
    public void ResetDone() => Volatile.Write(ref _reset, ResetIdle);

    /// <summary>Tells the checkpointer that the WAL grew; never blocks.</summary>
    public void Committed()
    {
        if (Volatile.Read(ref _committed) == 0 && Interlocked.Exchange(ref _committed, 1) == 0)
        {
            _wake.Set();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _stopped.Task.ConfigureAwait(false);

        // The writer is gone by now: leave the database file complete and the WAL empty.
        SQLitePCL.raw.sqlite3_busy_timeout(_connection.Handle, (int)ClosingPatience.TotalMilliseconds);
        _ = TryCheckpoint("TRUNCATE");
        await _connection.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _wake.Dispose();
    }

    private void Run()
    {
        try
        {
            var token = _stop.Token;
            while (WaitForCommits(token))
            {
                if (!CheckpointWhileCommitsGoOn(token))
                {
                    return;
                }

                // A pause: everything is copied and the next write starts the WAL over in the file as it is, so the
                // commits after the pause overwrite it rather than extend it (an extending commit's sync also
                // writes the file's size, one more block request on every commit). The writer's journal size
                // limit cuts a WAL file that grew larger back to its bound at that first commit.
                if (IdleCheckpoint("RESTART", static result => !result.Busy, token) is not IdleOutcome.Done)
                {
                    if (token.IsCancellationRequested)
                    {
                        return;
                    }

                    continue;
                }

                // Still nothing written for a long while: the WAL file is emptied.
                switch (WaitIdle(IdleRoundsBeforeTruncate, token))
                {
                    case IdleOutcome.Stopping:
                        return;
                    case IdleOutcome.Committed:
                        continue;
                }

                if (IdleCheckpoint("TRUNCATE", static result => result is { Busy: false, WalPages: 0 }, token) is IdleOutcome.Stopping)
                {
                    return;
                }
            }
        }
        finally
        {
            _stopped.SetResult();
        }
    }

    /// <summary>
    /// Checkpoints once per interval while commits go on, asking the writer to start the WAL over once it holds
    /// <see cref="SqliteStoreOptions.WalResetPages"/>; returns after <see cref="IdleRoundsBeforeRestart"/> intervals
    /// without a commit, or false once the checkpointer is stopping.
    /// </summary>
    private bool CheckpointWhileCommitsGoOn(CancellationToken token)
    {
        var idle = 0;
        while (idle < IdleRoundsBeforeRestart)
        {
            if (token.WaitHandle.WaitOne(_interval))
            {
                return false;
            }

            if (Interlocked.Exchange(ref _committed, 0) == 0)
            {
                idle++;
                continue;
            }

            idle = 0;
            // While the writer's RESTART is due or running, a checkpoint here would take the lock it needs.
            if (Volatile.Read(ref _reset) == ResetIdle && TryCheckpoint("PASSIVE").WalPages >= _resetPages)
            {
                Volatile.Write(ref _reset, ResetWanted);
            }
        }

        return true;
    }

    /// <summary>
    /// Runs a checkpoint that waits for readers while nothing is written. It gives up soon when a reader is behind
    /// (<see cref="Patience"/>), so it tries again every interval, <see cref="IdleAttempts"/> times at most; a commit
    /// meanwhile ends the tries, and the rounds start over.
    /// </summary>
    private IdleOutcome IdleCheckpoint(string mode, Func<CheckpointResult, bool> done, CancellationToken token)
    {
        for (var attempt = 1; !done(TryCheckpoint(mode)); attempt++)
        {
            if (attempt == IdleAttempts)
            {
                return IdleOutcome.GaveUp;
            }

            if (WaitIdle(1, token) is var outcome and not IdleOutcome.Done)
            {
                return outcome;
            }
        }

        return IdleOutcome.Done;
    }

    /// <summary>Waits <paramref name="rounds"/> intervals, unless a commit or the stop comes first.</summary>
    private IdleOutcome WaitIdle(int rounds, CancellationToken token)
    {
        for (var round = 0; round < rounds; round++)
        {
            if (token.WaitHandle.WaitOne(_interval))
            {
                return IdleOutcome.Stopping;
            }

            if (Volatile.Read(ref _committed) != 0)
            {
                return IdleOutcome.Committed;
            }
        }

        return IdleOutcome.Done;
    }

    /// <summary>Sleeps until a commit is reported; false once the checkpointer is stopping.</summary>
    private bool WaitForCommits(CancellationToken token)
    {
        while (true)
        {
            try
            {
                _wake.Wait(token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            _wake.Reset();
            // The event may have been set by a commit that the last round already counted.
            if (Interlocked.Exchange(ref _committed, 0) != 0)
            {
                return true;
            }
        }
    }

    /// <summary>Runs a checkpoint; a checkpoint that could not run at all counts as busy.</summary>
    private CheckpointResult TryCheckpoint(string mode)
    {
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"PRAGMA wal_checkpoint({mode});";
            using var reader = command.ExecuteReader();
            // (busy, pages in the WAL, pages copied); busy = 1 when a RESTART or TRUNCATE could not finish.
            return reader.Read() ? new CheckpointResult(reader.GetInt64(0) != 0, reader.GetInt64(1)) : new CheckpointResult(true, -1);
        }
        catch (SqliteException)
        {
            // A failed checkpoint loses nothing: the pages stay in the WAL and the next round copies them.
            return new CheckpointResult(true, -1);
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private readonly record struct CheckpointResult(bool Busy, long WalPages);

    private enum IdleOutcome
    {
        Done,
        GaveUp,
        Committed,
        Stopping,
    }
}
