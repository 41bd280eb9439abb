using System.Runtime.InteropServices;

namespace Ipam.Storage.Sqlite;

/// <summary>SQLite's <c>sqlite3_file_control</c>, for what Microsoft.Data.Sqlite does not expose.</summary>
internal static partial class SqliteFileControl
{
    /// <summary><c>SQLITE_FCNTL_HAS_MOVED</c>.</summary>
    private const int HasMovedOperation = 20;

    /// <summary>
    /// Whether the database file <paramref name="connection"/> opened is no longer at its path: deleted, or another
    /// file renamed over it. The connection goes on reading and writing the file it opened, which nothing will find
    /// again; SQLite compares the path's file with the open one (a <c>stat</c>).
    /// </summary>
    public static bool HasMoved(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var moved = 0;
        return FileControl(connection.Handle!.DangerousGetHandle(), "main", HasMovedOperation, ref moved) == 0 && moved != 0;
    }

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_file_control", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FileControl(IntPtr database, string schema, int operation, ref int argument);
}
