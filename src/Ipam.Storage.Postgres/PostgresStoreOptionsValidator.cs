namespace Ipam.Storage.Postgres;

internal sealed class PostgresStoreOptionsValidator : StoreOptionsValidator<PostgresStoreOptions>
{
    protected override void Check(PostgresStoreOptions options, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add("PostgresStoreOptions.ConnectionString is required: an Npgsql connection string, e.g. Host=db;Database=ipam;Username=ipam.");
        }
        else if (ConnectionStringError(options.ConnectionString) is { } error)
        {
            errors.Add($"PostgresStoreOptions.ConnectionString is not a valid Npgsql connection string: {error}");
        }

        AtLeastOne(errors, nameof(options.MaxBatchSize), options.MaxBatchSize);
        AtLeastOne(errors, nameof(options.MaxConcurrentBatches), options.MaxConcurrentBatches);
        NotNegative(errors, nameof(options.GroupCommitWait), options.GroupCommitWait);
        Positive(errors, nameof(options.LockWait), options.LockWait);
        if (options.LockWait.TotalMilliseconds > int.MaxValue)
        {
            errors.Add($"PostgresStoreOptions.LockWait must be at most {TimeSpan.FromMilliseconds(int.MaxValue)}, PostgreSQL's longest lock_timeout (was {options.LockWait}).");
        }
    }

    /// <summary>Why Npgsql refuses <paramref name="connectionString"/>, or null; never echoes the string (it may hold a password).</summary>
    private static string? ConnectionStringError(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(builder.Host) ? "it names no Host." : null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            return e.Message;
        }
    }
}
