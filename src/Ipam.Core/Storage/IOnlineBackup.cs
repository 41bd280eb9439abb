namespace Ipam.Storage;

/// <summary>
/// A store that can copy its whole database to a file while it keeps serving (SQLite: the server may hold its file
/// for its process alone, so no other process could take the copy).
/// </summary>
public interface IOnlineBackup
{
    /// <summary>
    /// Writes a consistent copy of the database, as of one moment, to a new file and opens it for reading; the file is
    /// deleted when the stream is disposed. Copies run one at a time; writes go on meanwhile.
    /// </summary>
    /// <exception cref="Ipam.Errors.StoreUnavailableException">The copy could not be written (a full disk); no file is left.</exception>
    Task<FileStream> WriteCopyAsync(CancellationToken cancellationToken = default);
}
