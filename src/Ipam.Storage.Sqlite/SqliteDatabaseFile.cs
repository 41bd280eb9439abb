using Ipam.Errors;

namespace Ipam.Storage.Sqlite;

/// <summary>Facts about a SQLite database file that tools outside the store need.</summary>
public static class SqliteDatabaseFile
{
    /// <summary>
    /// Whether a store, in this process or another, serves the file at <paramref name="path"/> (or the file a symbolic
    /// link there leads to): it holds the file's lock. Replacing such a file under the server loses every change it
    /// makes afterwards, since it goes on writing to the file it opened.
    /// </summary>
    public static bool IsServed(string path)
    {
        var file = new FileInfo(path);
        var target = file.LinkTarget is null ? path : file.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        return IsLocked(path) || (target != path && IsLocked(target));
    }

    private static bool IsLocked(string path)
    {
        if (!File.Exists(SqliteFileLock.PathFor(path)))
        {
            return false;
        }

        try
        {
            SqliteFileLock.Acquire(path).Dispose();
            return false;
        }
        catch (StoreUnavailableException)
        {
            return true;
        }
    }
}
