namespace Ipam.Storage.Sqlite;

/// <summary>The name every connection of a store opens its database by.</summary>
internal static class SqliteFileName
{
    /// <summary>
    /// SQLite's Unix file system layer that takes one lock on the file for the whole process, once, and from then on
    /// coordinates the process's own connections in memory, the WAL index included: no file-lock system call per
    /// transaction, and no <c>-shm</c> file.
    /// </summary>
    internal const string ProcessExclusiveVfs = "unix-excl";

    /// <summary>
    /// The path itself when other processes may read the file (or on Windows, which has no such layer); otherwise a
    /// <c>file:</c> URI that opens it through <see cref="ProcessExclusiveVfs"/>. Every connection of the store must
    /// open it the same way.
    /// </summary>
    /// <remarks>SQLite decodes every %HH of a URI's path, so the path is escaped whole ('/' included): '?', '#' or '%' in it would otherwise end or change it.</remarks>
    public static string Of(string path, bool otherProcessesMayRead) =>
        otherProcessesMayRead || OperatingSystem.IsWindows()
            ? path
            : $"file:{Uri.EscapeDataString(Path.GetFullPath(path))}?vfs={ProcessExclusiveVfs}";
}
