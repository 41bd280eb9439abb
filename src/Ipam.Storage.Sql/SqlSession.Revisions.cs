namespace Ipam.Storage.Sql;

/// <summary>The database's revision counter.</summary>
internal sealed partial class SqlSession
{
    public async ValueTask<long> NextRevisionAsync(CancellationToken cancellationToken)
    {
        // Declared as a write: on SQLite it bumps a row; a sequence's value is not undone by a rollback either way.
        var modifiedBefore = Declare(WriteScope.OtherRows);
        var revision = await connection.ExecuteScalarAsync<long>(Command(Sql.NextRevision, Arguments(), cancellationToken)).ConfigureAwait(false);
        Settle(WriteScope.OtherRows, modifiedBefore, 1);
        return revision;
    }
}
