using Ipam.Errors;

namespace Ipam.Storage.Sqlite;

/// <summary>
/// Keeps a second store, in this process or another, from serving the same SQLite file: an exclusive lock on
/// <c>PATH.lock</c>, held from the store's creation until it is disposed. On Linux and macOS .NET takes
/// it with <c>flock</c>, which the kernel drops when the process dies, so a killed server never leaves a stale
/// lock behind. The file itself stays: removing it on exit could let two processes lock two different files.
/// </summary>
internal sealed class SqliteFileLock : IDisposable
{
    private readonly FileStream _file;

    private SqliteFileLock(FileStream file) => _file = file;

    public static string PathFor(string databasePath) => System.IO.Path.GetFullPath(databasePath) + ".lock";

    /// <exception cref="StoreUnavailableException">Another store holds the lock.</exception>
    public static SqliteFileLock Acquire(string databasePath)
    {
        var path = PathFor(databasePath);
        try
        {
            return new SqliteFileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1));
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            throw new StoreUnavailableException(
                $"the SQLite database {System.IO.Path.GetFullPath(databasePath)} is already served by another process (it holds {path}); " +
                "stop that one first, or use PostgreSQL to run several instances.", e);
        }
    }

    public void Dispose() => _file.Dispose();

    /// <summary>
    /// A held lock: on Windows a sharing or lock violation (32, 33); elsewhere the errno of a refused
    /// non-blocking <c>flock</c>, EWOULDBLOCK (35 on macOS and the BSDs, 11 on Linux).
    /// </summary>
    private static bool IsHeldElsewhere(IOException e) => OperatingSystem.IsWindows()
        ? (e.HResult & 0xFFFF) is 32 or 33
        : e.HResult == (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 35 : 11);
}
