using System.Runtime.InteropServices;

namespace Ipam.Storage.Sqlite;

/// <summary>
/// Which file a path names: its device and inode number, read on Linux with <c>statx</c> asking for the inode
/// number alone. The writer checks its files before every transaction, and a plain <c>stat</c> there is dear:
/// on Linux 6.18 (ext4), a <c>stat</c> of a file between a write and its <c>fsync</c> makes the <c>fsync</c>
/// write the file's inode as well, one block request more per commit (measured: 3 requests per fsync instead
/// of 2, with <c>statx</c> asking for every field as with <c>stat</c>; 2 with the inode number alone).
/// </summary>
internal readonly partial record struct FileIdentity(ulong Device, ulong Inode)
{
    private const int CurrentDirectory = -100;
    private const uint InodeNumberOnly = 0x100;

    /// <summary>Whether <see cref="Of"/> can tell files apart here (Linux, where <c>statx</c> exists).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>The file <paramref name="path"/> names now (symbolic links followed), or null if none does.</summary>
    public static FileIdentity? Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Statx(CurrentDirectory, path, 0, InodeNumberOnly, out var buffer) == 0
            ? new FileIdentity(((ulong)buffer.DeviceMajor << 32) | buffer.DeviceMinor, buffer.Inode)
            : null;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary>The fields of Linux's <c>struct statx</c> read here, at their offsets; the kernel writes all 256 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(32)]
        public ulong Inode;

        [FieldOffset(136)]
        public uint DeviceMajor;

        [FieldOffset(140)]
        public uint DeviceMinor;
    }
}
