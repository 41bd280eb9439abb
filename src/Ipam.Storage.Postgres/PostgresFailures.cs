using Ipam.Errors;

namespace Ipam.Storage.Postgres;

/// <summary>How the store tells failures worth another attempt from those it reports.</summary>
internal static class PostgresFailures
{
    /// <summary>Attempts per unit of work before a transient failure is reported as store-unavailable.</summary>
    public const int MaxAttempts = 8;

    /// <summary>Failures that a fresh attempt of the same unit of work can get past.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
            or PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.InvalidSqlStatementName,
        NpgsqlException npgsql => npgsql.IsTransient,
        StoreUnavailableException { Cause: NpgsqlException { IsTransient: true } } => true,
        _ => false,
    };

    /// <summary>
    /// The server does not know a statement the driver believes it prepared on that connection (26000): seen rarely
    /// under load, with the driver preparing statements it runs often. The statement did not run, and the transaction
    /// it was in did not commit, but every later use of that statement on that connection fails the same way, so the
    /// pool's connections are let go (<see cref="ForgetConnectionsAfter"/>) before the work runs again.
    /// </summary>
    private static PostgresException? ForgottenStatement(Exception e)
    {
        for (var cause = e; cause is not null; cause = cause.InnerException)
        {
            if (cause is PostgresException { SqlState: PostgresErrorCodes.InvalidSqlStatementName } forgotten)
            {
                return forgotten;
            }
        }

        return null;
    }

    /// <summary>
    /// After a failure of <see cref="ForgottenStatement"/>, closes the idle connections of <paramref name="dataSource"/>
    /// and those in use as they are given back: new ones prepare their statements afresh. Once per failure: a shared
    /// transaction's failure is judged once for each of its requests, and the error is marked when the pool is let go.
    /// </summary>
    public static void ForgetConnectionsAfter(Exception e, NpgsqlDataSource dataSource)
    {
        if (ForgottenStatement(e) is { } forgotten && forgotten.Data[PoolRenewedMark] is null)
        {
            forgotten.Data[PoolRenewedMark] = true;
            dataSource.Clear();
            StoreTelemetry.RecordPoolRenewed();
        }
    }

    private const string PoolRenewedMark = "ipam.pool-renewed";

    /// <summary>Failures from waiting for another transaction's locks: a deadlock, or a lock wait that ran out.</summary>
    public static bool IsContention(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable };

    /// <summary>
    /// Whether a unit of work that failed with <paramref name="e"/> on its <paramref name="attempt"/>th try runs again:
    /// a transient failure up to <see cref="MaxAttempts"/> tries, and one from other transactions' locks for as long as
    /// a caller whose wait ends (a request's deadline; the server's own work, its shutdown) still waits. A lock held from
    /// outside Ipam may be let go at any moment, and the work then succeeds; a caller that would wait forever gets the
    /// same tries as for any other failure.
    /// </summary>
    public static bool ShouldRetry(Exception e, int attempt, CancellationToken cancellationToken) =>
        IsTransient(e) && !cancellationToken.IsCancellationRequested && (attempt < MaxAttempts || (cancellationToken.CanBeCanceled && IsContention(e)));

    /// <summary>Up to 200 ms, jittered, doubling from 4 ms with each try.</summary>
    public static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(200, 2 << Math.Clamp(attempt, 0, 7)) * (0.5 + Random.Shared.NextDouble()));

    /// <summary>Driver errors become store-unavailable; domain errors reach the caller unchanged.</summary>
    public static Exception Translate(Exception e) => e switch
    {
        NpgsqlException or TimeoutException => new StoreUnavailableException($"PostgreSQL failed: {e.Message}", e),
        _ => e,
    };
}
