namespace Ipam.Storage.Postgres;

/// <summary>What sits between Ipam and PostgreSQL, as the <c>pooler</c> parameter of a database URL says.</summary>
public enum PoolerMode
{
    /// <summary>PostgreSQL itself, or a pooler that gives each client one server connection for its whole session.</summary>
    None,

    /// <summary>A pooler that may give each transaction a different server connection (PgBouncer <c>pool_mode = transaction</c>).</summary>
    Transaction,
}
