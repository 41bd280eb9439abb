using Ipam.Storage.Postgres;
using Ipam.Storage.Sql.GroupCommit;
using Ipam.Testing;
using Npgsql;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// A write transaction's <c>BEGIN</c> goes in the batch of its first statement, not as a simple query of its own ahead
/// of it: the server flushes the answer to every simple query at once, so the client would be woken twice for that
/// round trip. Counted on the wire, through a proxy, with the store's writer on a connection pool of its own.
/// </summary>
public sealed partial class PostgresGroupCommitTests
{
    [Fact]
    public async Task A_write_transaction_sends_no_simple_query_and_is_answered_once_a_round_trip()
    {
        await using var counted = WriterBehindACounter.Start(_connectionString, presumesLogEnd: false);
        var (wire, writer) = (counted.Wire, counted.Writer);
        await InsertAndCommitAsync(writer, 1, Isolation.Savepoints);
        wire.Reset();

        await InsertAndCommitAsync(writer, 2, Isolation.Savepoints);

        // The insert's round trip (with the BEGIN and the lock wait), then the commit's.
        AssertRoundTrips(wire, 2);
        Assert.Equal([1, 2], await StoredHostsAsync());
    }

    [Fact]
    public async Task A_lone_allocation_that_presumes_the_log_end_takes_one_round_trip_and_one_answer()
    {
        await using var counted = WriterBehindACounter.Start(_connectionString, presumesLogEnd: true);
        var (wire, writer) = (counted.Wire, counted.Writer);
        await PresumeInsertAndCommitAsync(writer, 1);
        wire.Reset();

        await PresumeInsertAndCommitAsync(writer, 2);

        // The BEGIN, the lock wait, the revision's check, the insert, the log end's check and the COMMIT together.
        AssertRoundTrips(wire, 1);
        Assert.Equal([1, 2], await StoredHostsAsync());
    }

    [Fact]
    public async Task A_commit_that_is_the_first_thing_a_transaction_sends_begins_it()
    {
        await using var counted = WriterBehindACounter.Start(_connectionString, presumesLogEnd: true);
        var (wire, writer) = (counted.Wire, counted.Writer);
        await PresumeInsertAndCommitAsync(writer, 1);
        wire.Reset();

        var logEnd = await ScalarAsync("SELECT max(seq) FROM changes");
        await using (var transaction = await writer.BeginAsync(Isolation.Alone, [_subnetId], contended: false))
        {
            Assert.True(transaction.CreateSession().TryPresumeLogEnd(logEnd));
            Assert.Equal(logEnd, await transaction.CommitAsync([], []));
        }

        // The log end's check and the COMMIT, behind the BEGIN alone: a lock wait would bound nothing there.
        AssertRoundTrips(wire, 1);
        Assert.Equal(0, await ScalarAsync(OpenTransactionsOfTheWriterUnderTest));
    }

    [Fact]
    public async Task A_write_transaction_that_sends_nothing_commits_without_a_word_to_the_server()
    {
        await using var counted = WriterBehindACounter.Start(_connectionString, presumesLogEnd: false);
        var (wire, writer) = (counted.Wire, counted.Writer);
        await InsertAndCommitAsync(writer, 1, Isolation.Savepoints);
        wire.Reset();

        await using (var transaction = await writer.BeginAsync(Isolation.Savepoints, [_subnetId], contended: false))
        {
            Assert.Null(await transaction.CommitAsync([], []));
        }

        Assert.True(wire.AllFromClients == 0, wire.ToString());
    }

    [Fact]
    public async Task A_write_transaction_given_up_after_a_statement_leaves_nothing_and_its_connection_serves_the_next()
    {
        await using var dataSource = NpgsqlDataSource.Create(AsTheStoreConnects(_connectionString, maxPoolSize: 1));
        var writer = new PostgresWriter(dataSource, presumesLogEnd: false, lockWait: TimeSpan.FromSeconds(5));
        await using (var abandoned = await writer.BeginAsync(Isolation.Savepoints, [_subnetId], contended: false))
        {
            Assert.True(await abandoned.CreateSession().TryInsertAllocationAsync(AllocationOf(_subnetId, 1), CancellationToken.None));
        }

        Assert.Equal(0, await ScalarAsync(OpenTransactionsOfTheWriterUnderTest));
        await InsertAndCommitAsync(writer, 2, Isolation.Savepoints);
        Assert.Equal([2], await StoredHostsAsync());
    }

    private const string WriterUnderTest = "writer under test";

    /// <summary>No simple query, and as many answers (ReadyForQuery) as round trips (Syncs).</summary>
    private static void AssertRoundTrips(PostgresWireCounter wire, int roundTrips)
    {
        Assert.True(wire.FromClients('Q') == 0, wire.ToString());
        Assert.Equal(roundTrips, wire.FromClients('S'));
        Assert.Equal(roundTrips, wire.FromServer('Z'));
    }

    /// <summary>Sessions of the writer under test left inside a transaction (other tests share the server).</summary>
    private const string OpenTransactionsOfTheWriterUnderTest =
        $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{WriterUnderTest}' AND state LIKE 'idle in transaction%'";

    /// <summary>As the store's pool does, connections given back are not reset (which the driver would send with their next use).</summary>
    private static string AsTheStoreConnects(string connectionString, int maxPoolSize = 100) =>
        new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = true, NoResetOnClose = true, MaxPoolSize = maxPoolSize, ApplicationName = WriterUnderTest,
        }.ToString();

    /// <summary>A lone allocation as the service makes one on an instance whose index is caught up: held back, sent with the commit.</summary>
    private async Task PresumeInsertAndCommitAsync(PostgresWriter writer, int host)
    {
        var revision = await ScalarAsync($"SELECT revision FROM subnets WHERE id = '{_subnetId}'");
        var logEnd = await ScalarAsync("SELECT coalesce(max(seq), 0) FROM changes");
        await using var transaction = await writer.BeginAsync(Isolation.Alone, [_subnetId], contended: false);
        var session = transaction.CreateSession();
        Assert.True(session.TryPresumeLogEnd(logEnd));
        Assert.Equal(AllocationInsert.Inserted, await session.TryInsertAllocationAtRevisionAsync(AllocationOf(_subnetId, host), revision, CancellationToken.None));
        await transaction.CommitAsync([], []);
    }

    private async Task InsertAndCommitAsync(PostgresWriter writer, int host, Isolation isolation)
    {
        await using var transaction = await writer.BeginAsync(isolation, [_subnetId], contended: false);
        Assert.True(await transaction.CreateSession().TryInsertAllocationAsync(AllocationOf(_subnetId, host), CancellationToken.None));
        await transaction.CommitAsync([], []);
    }

    /// <summary>A writer of its own, as the store makes one, whose connections go through a <see cref="PostgresWireCounter"/>.</summary>
    private sealed class WriterBehindACounter(PostgresWireCounter wire, NpgsqlDataSource dataSource, PostgresWriter writer) : IAsyncDisposable
    {
        public PostgresWireCounter Wire => wire;

        public PostgresWriter Writer => writer;

        public static WriterBehindACounter Start(string connectionString, bool presumesLogEnd)
        {
            var wire = PostgresWireCounter.Start(connectionString);
            var dataSource = NpgsqlDataSource.Create(AsTheStoreConnects(wire.ConnectionStringFor(connectionString)));
            return new WriterBehindACounter(wire, dataSource, new PostgresWriter(dataSource, presumesLogEnd, lockWait: TimeSpan.FromSeconds(5)));
        }

        public async ValueTask DisposeAsync()
        {
            await dataSource.DisposeAsync();
            await wire.DisposeAsync();
        }
    }
}
