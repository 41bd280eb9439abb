namespace Ipam.Storage.Sql;

/// <summary>The database's revision counter.</summary>
internal sealed partial class SqlSession
{
    public async ValueTask<long> NextRevisionAsync(CancellationToken cancellationToken)
    {
        // A write: on SQLite it bumps the counter's row.
        Declare(WriteScope.OtherRows);
        return await connection.ExecuteScalarAsync<long>(Command(Sql.NextRevision, Arguments(), cancellationToken)).ConfigureAwait(false);
    }
}
