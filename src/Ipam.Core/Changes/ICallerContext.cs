namespace Ipam.Changes;

/// <summary>Who the current request acts for; the change log records it as each change's actor.</summary>
public interface ICallerContext
{
    /// <summary>The actor of the current request (a token id, or <see cref="Actors.Anonymous"/>).</summary>
    string Actor { get; }
}
