namespace Ipam.Storage.Sqlite;

internal sealed class SqliteStoreOptionsValidator : StoreOptionsValidator<SqliteStoreOptions>
{
    protected override void Check(SqliteStoreOptions options, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            errors.Add("SqliteStoreOptions.Path is required: the database file, e.g. ./ipam.db (created if missing).");
        }
        else if (options.Path.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add("SqliteStoreOptions.Path contains a NUL character.");
        }

        AtLeastOne(errors, nameof(options.MaxBatchSize), options.MaxBatchSize);
        NotNegative(errors, nameof(options.GroupCommitWait), options.GroupCommitWait);
        Positive(errors, nameof(options.CheckpointInterval), options.CheckpointInterval);
        AtLeastOne(errors, nameof(options.WalResetPages), options.WalResetPages);
    }
}
