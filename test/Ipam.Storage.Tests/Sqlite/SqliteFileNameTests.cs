using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Changes;
using Ipam.Storage.Sqlite;
using Ipam.SubnetPools;
using Ipam.Subnets;
using Microsoft.Data.Sqlite;

namespace Ipam.Storage.Tests.Sqlite;

/// <summary>
/// A store holds its file for its process alone unless other processes may read it: the connections then open the file
/// through a <c>file:</c> URI, which must name exactly the path given, whatever characters it holds.
/// </summary>
public sealed class SqliteFileNameTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ipam-file-name-tests-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("ipam.db")]
    [InlineData("with space.db")]
    [InlineData("hash#query?percent%41.db")]
    [InlineData("ünïcödé-€.db")]
    [InlineData("sub dir/ipam.db")]
    public async Task Store_OnAPathWithCharactersAUriEscapes_WritesThatVeryFile(string name)
    {
        var path = Path.Combine(_directory, name);

        await using (var store = new SqliteStore(new SqliteStoreOptions { Path = path, SynchronousFull = false }))
        {
            await store.MigrateAsync();
            await CreateSubnetAsync(store, "10.40.0.0/24");
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal(1, CountSubnets(path));
        var files = Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.All(files, f => Assert.StartsWith(Path.GetFileName(path), f, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task Store_KeepsTheWalIndexInAShmFile_OnlyWhenOtherProcessesMayRead(bool otherProcessesMayRead, bool shmFile)
    {
        var path = Path.Combine(_directory, "ipam.db");
        await using var store = new SqliteStore(new SqliteStoreOptions { Path = path, SynchronousFull = false, OtherProcessesMayRead = otherProcessesMayRead });
        await store.MigrateAsync();
        await CreateSubnetAsync(store, "10.41.0.0/24");

        Assert.Equal(shmFile, File.Exists(path + "-shm"));
        Assert.True(File.Exists(path + "-wal"));
    }

    private static async Task CreateSubnetAsync(SqliteStore store, string cidr)
    {
        var changes = new ChangeLog(new AnonymousCaller(), TimeProvider.System);
        var subnets = new SubnetService(store, new FreeSpaceCache(TimeProvider.System), new PrefixAllocator(new PrefixIndexCache()), changes, TimeProvider.System);
        await subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse(cidr) });
    }

    private static long CountSubnets(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM subnets";
        return (long)command.ExecuteScalar()!;
    }
}
