namespace Ipam.Api.Tests.Infrastructure;

/// <summary>The database a test server runs on, and how many instances serve it; behaviour tests run once per kind.</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,

    /// <summary>Three instances on one PostgreSQL database, each request sent to the next instance in turn.</summary>
    ThreePostgresInstances,
}
