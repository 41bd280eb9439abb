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
/// few intervals without commits a TRUNCATE checkpoint empties the WAL file. Checkpoints only copy
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

    /// <summary>Intervals without a commit after which the WAL file is emptied.</summary>
    private const int IdleRoundsBeforeTruncate = 5;

    /// <summary>How many times, an interval apart, an idle spell tries to empty the WAL file while readers are behind.</summary>
    private const int TruncateAttempts = 50;

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
        TryCheckpoint("TRUNCATE");
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
                // Commits are under way: checkpoint once per interval while they last, and empty the WAL file
                // once they have stopped for a while (not at every short pause: a WAL file that must grow again
                // makes the next commits' syncs dearer).
                var idle = 0;
                while (idle < IdleRoundsBeforeTruncate)
                {
                    if (token.WaitHandle.WaitOne(_interval))
                    {
                        return;
                    }

                    if (Interlocked.Exchange(ref _committed, 0) == 0)
                    {
                        idle++;
                        continue;
                    }

                    idle = 0;
                    // While the writer's RESTART is due or running, a checkpoint here would take the lock it needs.
                    if (Volatile.Read(ref _reset) == ResetIdle && TryCheckpoint("PASSIVE") >= _resetPages)
                    {
                        Volatile.Write(ref _reset, ResetWanted);
                    }
                }

                // A TRUNCATE gives up soon when a reader is behind (Patience): while nothing is written, it tries
                // again every interval for a while. A commit meanwhile starts the rounds over.
                for (var attempt = 1; TryCheckpoint("TRUNCATE") != 0 && attempt < TruncateAttempts; attempt++)
                {
                    if (token.WaitHandle.WaitOne(_interval))
                    {
                        return;
                    }

                    if (Volatile.Read(ref _committed) != 0)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            _stopped.SetResult();
        }
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

    /// <summary>Runs a checkpoint; returns the pages in the WAL, or -1 if it could not run.</summary>
    private long TryCheckpoint(string mode)
    {
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"PRAGMA wal_checkpoint({mode});";
            using var reader = command.ExecuteReader();
            // (busy, pages in the WAL, pages copied); busy = 1 when a TRUNCATE could not finish, 0 pages once it did.
            return reader.Read() ? reader.GetInt64(1) : -1;
        }
        catch (SqliteException)
        {
            // A failed checkpoint loses nothing: the pages stay in the WAL and the next round copies them.
            return -1;
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
