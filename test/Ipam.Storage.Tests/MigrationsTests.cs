using System.Reflection;
using Ipam.Storage.Postgres;
using Ipam.Storage.Sqlite;

namespace Ipam.Storage.Tests;

public sealed class MigrationsTests
{
    public static TheoryData<string> Stores => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Stores))]
    public void Load_EachStore_VersionsRunFromOneWithoutGaps(string store)
    {
        var versions = EmbeddedMigrations.Load(AdapterOf(store)).Select(m => m.Version).ToList();

        Assert.NotEmpty(versions);
        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
    }

    [Fact]
    public void Load_BothStores_HaveTheSameMigrationNames()
    {
        var sqlite = EmbeddedMigrations.Load(AdapterOf("sqlite")).Select(m => m.Name);
        var postgres = EmbeddedMigrations.Load(AdapterOf("postgres")).Select(m => m.Name);

        Assert.Equal(sqlite, postgres);
    }

    private static Assembly AdapterOf(string store) =>
        store == "sqlite" ? typeof(SqliteStore).Assembly : typeof(PostgresStore).Assembly;
}
