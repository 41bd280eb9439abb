using System.Diagnostics;
using Xunit;

namespace Ipam.Testing;

/// <summary>
/// A small tmpfs mounted on a temp directory, for tests of a full disk: <see cref="FillAsync"/> takes every
/// free byte with a filler file, <see cref="Free"/> gives them back. Mounting needs root; elsewhere the test is
/// skipped with the reason (or fails under CI).
/// </summary>
public sealed class SmallFileSystem : IAsyncDisposable
{
    private readonly string _filler;

    private SmallFileSystem(string directory)
    {
        Directory = directory;
        _filler = Path.Combine(directory, "filler");
    }

    public string Directory { get; }

    public static async Task<SmallFileSystem> MountAsync(int megabytes)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            var reason = "mounting a tmpfs needs root on Linux";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(reason);
            }

            Assert.Skip(reason);
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("ipam-small-fs-").FullName;
        await RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", directory);
        return new SmallFileSystem(directory);
    }

    /// <summary>Writes a filler file until the file system is full.</summary>
    public async Task FillAsync()
    {
        var chunk = new byte[4096];
        await using var filler = new FileStream(_filler, FileMode.Append, FileAccess.Write, FileShare.None, 1);
        try
        {
            while (true)
            {
                await filler.WriteAsync(chunk);
                await filler.FlushAsync();
            }
        }
        catch (IOException)
        {
            // No space left: that was the point.
        }
    }

    /// <summary>Deletes the filler file.</summary>
    public void Free() => File.Delete(_filler);

    public async ValueTask DisposeAsync()
    {
        await RunAsync("umount", "-l", Directory);
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error}");
        }
    }
}
