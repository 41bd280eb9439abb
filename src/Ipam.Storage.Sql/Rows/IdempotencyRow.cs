namespace Ipam.Storage.Sql.Rows;

/// <summary>A row of <c>idempotency_keys</c> as Dapper reads it (the key columns are the query's own arguments).</summary>
internal sealed class IdempotencyRow
{
    public string Fingerprint { get; set; } = null!;

    public string Response { get; set; } = null!;

    public object CreatedAt { get; set; } = null!;
}
