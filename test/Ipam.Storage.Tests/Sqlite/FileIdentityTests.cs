using Ipam.Storage.Sqlite;

namespace Ipam.Storage.Tests.Sqlite;

/// <summary>
/// The writer checks before every transaction that its database and WAL are still at their paths
/// (<see cref="FileIdentity"/>): the check must tell files apart. That it reads no more than the inode number is
/// measured, not tested: by the block requests per commit (docs/performance.md).
/// </summary>
public sealed class FileIdentityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ipam-file-identity-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Of_TellsFilesApart_AndFollowsRenamesAndDeletion()
    {
        Assert.SkipUnless(FileIdentity.IsSupported, "statx is Linux's");
        var path = Write("ipam.db");
        var other = Write("other.db");
        var first = FileIdentity.Of(path);

        Assert.NotNull(first);
        Assert.Equal(first, FileIdentity.Of(path));
        Assert.NotEqual(first, FileIdentity.Of(other));

        var otherIdentity = FileIdentity.Of(other);
        File.Move(other, path, overwrite: true);
        Assert.Equal(otherIdentity, FileIdentity.Of(path));

        File.Delete(path);
        Assert.Null(FileIdentity.Of(path));
    }

    [Fact]
    public void Of_ASymbolicLink_NamesTheFileItLinksTo()
    {
        Assert.SkipUnless(FileIdentity.IsSupported, "statx is Linux's");
        var path = Write("ipam.db");
        var symbolic = Path.Combine(_directory, "symbolic.db");
        File.CreateSymbolicLink(symbolic, path);

        Assert.Equal(FileIdentity.Of(path), FileIdentity.Of(symbolic));
    }

    private string Write(string name)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, [0]);
        return path;
    }
}
