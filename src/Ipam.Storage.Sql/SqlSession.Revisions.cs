namespace Ipam.Storage.Sql;

/// <summary>The database's revision counter.</summary>
internal sealed partial class SqlSession
{
    public async ValueTask<long> NextRevisionAsync(CancellationToken cancellationToken)
    {
        // A write: on SQLite it bumps the counter's row.
        Declare(WriteScope.OtherRows);
        var command = await CommandAsync(Sql.NextRevision, Arguments(), cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(command).ConfigureAwait(false);
    }
}
