namespace Ipam.Cli.Commands;

/// <summary>
/// A file written beside the one it will replace (<c>NAME.partial-GUID</c>) and given that name only when whole, so a
/// command that fails half-way (the server gone, a full disk) leaves the last file as it was and nothing beside it.
/// </summary>
internal sealed class PartialFile(string path) : IDisposable
{
    /// <summary>
    /// Refuses <paramref name="target"/> when something is there, unless the caller asked to <paramref name="replace"/> it
    /// (<c>--force</c>): the new file takes its name, whatever it is, a device node, a pipe or a link included.
    /// </summary>
    public static void ThrowIfTaken(string target, bool replace)
    {
        if (!replace && File.Exists(target))
        {
            throw new UsageException($"{target} exists; add --force to replace it");
        }
    }

    /// <summary>Where the bytes go until <see cref="Commit"/>.</summary>
    public string Path { get; } = $"{path}.partial-{Guid.NewGuid():N}";

    public FileStream Create()
    {
        try
        {
            return new(Path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write {path}: creating {System.IO.Path.GetFileName(Path)} beside it failed ({e.Message})");
        }
    }

    /// <summary>Gives the written file its name (the caller flushed it to disk).</summary>
    public void Commit(bool overwrite = true) => File.Move(Path, path, overwrite);

    /// <summary>Removes what was written if it was not committed.</summary>
    public void Dispose() => File.Delete(Path);
}
