using System.Globalization;
using System.Text;

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
    public static string Of(string path, bool otherProcessesMayRead) =>
        otherProcessesMayRead || OperatingSystem.IsWindows()
            ? path
            : $"file://{Escaped(Path.GetFullPath(path))}?vfs={ProcessExclusiveVfs}";

    /// <summary>The path as a URI's path: SQLite decodes %HH, and '?' or '#' would end the path.</summary>
    private static string Escaped(string path)
    {
        var escaped = new StringBuilder(path.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(path))
        {
            if (b is (byte)'%' or (byte)'?' or (byte)'#' or <= 0x20 or >= 0x7F)
            {
                escaped.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append((char)b);
            }
        }

        return escaped.ToString();
    }
}
