using System.Diagnostics;
using Xunit;

namespace Ipam.Testing;

/// <summary>
/// A small ext4 file system on a loop device, mounted on a temp directory, that <see cref="FreezeAsync"/> stops: every
/// write to it (a commit's, a WAL append's) then blocks until <see cref="ThawAsync"/>, as on a disk that stalls. Mounting
/// needs root on Linux; elsewhere the test is skipped with the reason (or fails under CI).
/// </summary>
public sealed class FreezableFileSystem : IAsyncDisposable
{
    private readonly string _image;
    private bool _frozen;

    private FreezableFileSystem(string root)
    {
        _image = Path.Combine(root, "disk.img");
        Directory = Path.Combine(root, "mnt");
    }

    public string Directory { get; }

    public static async Task<FreezableFileSystem> MountAsync(int megabytes = 64)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            var reason = "mounting and freezing a file system needs root on Linux";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(reason);
            }

            Assert.Skip(reason);
        }

        var root = System.IO.Directory.CreateTempSubdirectory("ipam-freezable-fs-").FullName;
        var disk = new FreezableFileSystem(root);
        System.IO.Directory.CreateDirectory(disk.Directory);
        await using (var image = File.Create(disk._image))
        {
            image.SetLength(megabytes * 1024L * 1024);
        }

        await RunAsync("mkfs.ext4", "-q", "-F", disk._image);
        await RunAsync("mount", "-o", "loop", disk._image, disk.Directory);
        return disk;
    }

    public async Task FreezeAsync()
    {
        await RunAsync("fsfreeze", "--freeze", Directory);
        _frozen = true;
    }

    public async Task ThawAsync()
    {
        if (_frozen)
        {
            await RunAsync("fsfreeze", "--unfreeze", Directory);
            _frozen = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ThawAsync();
        await RunAsync("umount", "-l", Directory);
        System.IO.Directory.Delete(Path.GetDirectoryName(_image)!, recursive: true);
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
        }
    }
}
