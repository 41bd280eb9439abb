using System.Threading.Channels;

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
/// copied nearly everything by then, so it is short, and the WAL file cannot grow without bound. After a
/// few intervals without commits a TRUNCATE checkpoint empties the WAL file. Checkpoints only copy
/// committed pages, so durability is the writer's (its commits still sync the WAL); a crash at any point
/// loses nothing.
/// </remarks>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    /// <summary>Intervals without a commit after which the WAL file is emptied.</summary>
    private const int IdleRoundsBeforeTruncate = 5;

    private readonly Channel<bool> _commits = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly CancellationTokenSource _stop = new();
    private readonly SqliteConnection _connection;
    private readonly TimeSpan _interval;
    private readonly long _resetPages;
    private readonly Task _loop;
    private int _resetWanted;

    public SqliteCheckpointer(string connectionString, TimeSpan interval, long resetPages)
    {
        _interval = interval;
        _resetPages = resetPages;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        _connection.Open();
        // A TRUNCATE waits this long for a write in progress and for readers to finish; if they take longer
        // it gives up, and the next idle spell tries again.
        Execute("PRAGMA busy_timeout = 1000;");
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// True once after the WAL reached the reset size: the writer should then run
    /// <c>PRAGMA wal_checkpoint(RESTART)</c> before its next transaction.
    /// </summary>
    public bool TakeResetRequest() => Volatile.Read(ref _resetWanted) != 0 && Interlocked.Exchange(ref _resetWanted, 0) != 0;

    /// <summary>Tells the checkpointer that the WAL grew; never blocks.</summary>
    public void Committed() => _commits.Writer.TryWrite(true);

    public async ValueTask DisposeAsync()
    {
        _commits.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // The writer is gone by now: leave the database file complete and the WAL empty.
        TryCheckpoint("TRUNCATE");
        await _connection.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (await _commits.Reader.WaitToReadAsync(token).ConfigureAwait(false))
        {
            _commits.Reader.TryRead(out _);
            // Commits are under way: checkpoint once per interval while they last, and empty the WAL file
            // once they have stopped for a while (not at every short pause: a WAL file that must grow again
            // makes the next commits' syncs dearer).
            var idle = 0;
            while (idle < IdleRoundsBeforeTruncate)
            {
                await Task.Delay(_interval, token).ConfigureAwait(false);
                if (!_commits.Reader.TryRead(out _))
                {
                    idle++;
                    continue;
                }

                idle = 0;
                if (TryCheckpoint("PASSIVE") >= _resetPages)
                {
                    Volatile.Write(ref _resetWanted, 1);
                }
            }

            TryCheckpoint("TRUNCATE");
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
            // (busy, pages in the WAL, pages copied); busy = 1 when a TRUNCATE could not finish.
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
