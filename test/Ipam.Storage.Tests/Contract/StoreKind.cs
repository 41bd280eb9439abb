namespace Ipam.Storage.Tests.Contract;

public enum StoreKind
{
    Sqlite,
    Postgres,
}
