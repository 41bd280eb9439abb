using Ipam.Changes;
using Ipam.Storage;

namespace Ipam.Api.Tests.Instances;

/// <summary>
/// Follows the change log as the events feed does: pages of changes after a cursor, each read in a
/// transaction of its own, the cursor moved to the last change read. Runs until told to drain, then reads
/// until it finds nothing more.
/// </summary>
internal sealed class ChangeFollower(IIpamStore store, int pageSize = 100)
{
    private readonly List<Change> _seen = [];
    private volatile bool _draining;

    /// <summary>Every change read, in the order read.</summary>
    public IReadOnlyList<Change> Seen => _seen;

    /// <summary>How many non-empty pages were read before <see cref="Drain"/>.</summary>
    public int PagesWhileWriting { get; private set; }

    /// <summary>Stops at the first empty page from now on: call it once nothing writes any more.</summary>
    public void Drain() => _draining = true;

    public async Task RunAsync()
    {
        long cursor = 0;
        while (true)
        {
            var draining = _draining;
            var page = await store.ReadAsync((session, ct) => session.ListChangesAsync(new ChangeQuery { After = cursor, Limit = pageSize }, ct));
            if (page.Count == 0)
            {
                if (draining)
                {
                    return;
                }

                await Task.Delay(1);
                continue;
            }

            Assert.True(page[0].Sequence > cursor, $"a page after {cursor} started at {page[0].Sequence}");
            _seen.AddRange(page);
            cursor = page[^1].Sequence;
            PagesWhileWriting += draining ? 0 : 1;
        }
    }
}
