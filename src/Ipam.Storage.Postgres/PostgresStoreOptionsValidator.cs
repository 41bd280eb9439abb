using Microsoft.Extensions.Options;
using Npgsql;

namespace Ipam.Storage.Postgres;

/// <summary>Reports every unusable <see cref="PostgresStoreOptions"/> value at once, before the store connects.</summary>
internal sealed class PostgresStoreOptionsValidator : IValidateOptions<PostgresStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresStoreOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add("PostgresStoreOptions.ConnectionString is required: an Npgsql connection string, e.g. Host=db;Database=ipam;Username=ipam.");
        }
        else if (ConnectionStringError(options.ConnectionString) is { } error)
        {
            errors.Add($"PostgresStoreOptions.ConnectionString is not a valid Npgsql connection string: {error}");
        }

        if (options.MaxBatchSize < 1)
        {
            errors.Add($"PostgresStoreOptions.MaxBatchSize must be at least 1 (was {options.MaxBatchSize}).");
        }

        if (options.MaxConcurrentBatches < 1)
        {
            errors.Add($"PostgresStoreOptions.MaxConcurrentBatches must be at least 1 (was {options.MaxConcurrentBatches}).");
        }

        if (options.GroupCommitWait < TimeSpan.Zero)
        {
            errors.Add($"PostgresStoreOptions.GroupCommitWait must not be negative (was {options.GroupCommitWait}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
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
