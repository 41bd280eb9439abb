using Microsoft.Extensions.Options;

namespace Ipam.Storage.Sqlite;

/// <summary>Reports every unusable <see cref="SqliteStoreOptions"/> value at once, before the store opens the file.</summary>
internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            errors.Add("SqliteStoreOptions.Path is required: the database file, e.g. ./ipam.db (created if missing).");
        }
        else if (options.Path.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add("SqliteStoreOptions.Path contains a NUL character.");
        }

        if (options.MaxBatchSize < 1)
        {
            errors.Add($"SqliteStoreOptions.MaxBatchSize must be at least 1 (was {options.MaxBatchSize}).");
        }

        if (options.GroupCommitWait < TimeSpan.Zero)
        {
            errors.Add($"SqliteStoreOptions.GroupCommitWait must not be negative (was {options.GroupCommitWait}).");
        }

        if (options.CheckpointInterval <= TimeSpan.Zero)
        {
            errors.Add($"SqliteStoreOptions.CheckpointInterval must be positive (was {options.CheckpointInterval}).");
        }

        if (options.WalResetPages < 1)
        {
            errors.Add($"SqliteStoreOptions.WalResetPages must be at least 1 (was {options.WalResetPages}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
