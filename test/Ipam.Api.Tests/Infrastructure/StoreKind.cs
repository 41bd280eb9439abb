namespace Ipam.Api.Tests.Infrastructure;

/// <summary>The database a test server runs on; behaviour tests run once per kind.</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}
